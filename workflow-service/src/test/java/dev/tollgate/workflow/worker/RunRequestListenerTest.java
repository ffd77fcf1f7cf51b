package dev.tollgate.workflow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.tollgate.workflow.config.WorkflowConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/** The workers' consumer settings: fail-over in seconds, and static membership only when an instance id is set. */
class RunRequestListenerTest {

    @Test
    void aWorkerWithoutAnInstanceIdIsADynamicMemberTakenForDeadAfterItsSessionTimeout() {
        Map<String, Object> settings = RunRequestListener.consumerSettings("127.0.0.1:9092", worker(Optional.empty()));
        assertFalse(settings.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        assertEquals(6000, settings.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        assertEquals(2000, settings.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
        assertEquals("workflow-workers", settings.get(ConsumerConfig.GROUP_ID_CONFIG));
    }

    @Test
    void aWorkerWithAnInstanceIdIsAStaticMemberUnderIt() {
        Map<String, Object> settings = RunRequestListener.consumerSettings("127.0.0.1:9092",
                worker(Optional.of("workflow-worker-7d9f-abcde")));
        assertEquals("workflow-worker-7d9f-abcde", settings.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        assertEquals(6000, settings.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
    }

    static WorkflowConfig.Worker worker(Optional<String> instanceId) {
        return (WorkflowConfig.Worker) Proxy.newProxyInstance(RunRequestListenerTest.class.getClassLoader(),
                new Class<?>[] {WorkflowConfig.Worker.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "groupSessionTimeout" -> Duration.ofSeconds(6);
                    case "groupInstanceId" -> instanceId;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
