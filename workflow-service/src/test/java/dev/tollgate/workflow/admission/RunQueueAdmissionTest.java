package dev.tollgate.workflow.admission;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.PrometheusText;
import dev.tollgate.workflow.outbox.RunTopics;
import dev.tollgate.workflow.runs.RunRepository;
import dev.tollgate.workflow.support.CatalogServiceResource;
import dev.tollgate.workflow.support.Fixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Admission against the real broker and store: this process plays the api role, so no worker takes the requests it
 * publishes; the test stands in for the workers by committing their consumer group's offsets. Past the bound a
 * trigger answers 503 {@code overloaded} with {@code Retry-After} and leaves no run; once the workers catch up the
 * same request is taken, once.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
@TestProfile(RunQueueAdmissionTest.SmallQueue.class)
class RunQueueAdmissionTest {

    static final int BOUND = 3;

    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.workflow.admission.max-waiting-requests", Integer.toString(BOUND),
                    "tollgate.workflow.admission.measure-interval", "0.2s");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    RunRepository runs;

    @Inject
    RunQueueAdmission admission;

    @Test
    void aFullQueueRefusesNewTriggersFastAndLeavesNothingBehindUntilTheWorkersCatchUp() {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        workersCatchUp();

        // Trigger until one is refused: each taken trigger adds a waiting request, so the bound is reached.
        String[] lastRequest = new String[1];
        Response refused = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    lastRequest[0] = "req-" + UUID.randomUUID();
                    return trigger(u, wf, lastRequest[0]);
                }, r -> r.statusCode() != 200);
        String refusedRequest = lastRequest[0];
        refused.then().statusCode(503)
                .header("Retry-After", "1")
                .body("success", equalTo(false))
                .body("error", equalTo("overloaded"))
                .body("message", startsWith("Too many runs are waiting"));
        assertNotNull(admission.lastMeasurement());
        assertEquals(0, runsWithRequestId(refusedRequest), "a refused trigger created no run");
        assertTrue(refusedCount() >= 1, "refusals are counted");

        workersCatchUp();
        // The same request is taken once the measurement shows the queue drained, and only once.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> trigger(u, wf, refusedRequest).statusCode() == 200);
        assertEquals(202, trigger(u, wf, refusedRequest).statusCode(), "a retry with the same request_id replays");
        assertEquals(1, runsWithRequestId(refusedRequest));
    }

    private static Response trigger(Fixtures.User u, String workflowId, String requestId) {
        Map<String, Object> body = new HashMap<>();
        body.put("prompt", "admission");
        body.put("request_id", requestId);
        return given().auth().oauth2(u.token()).contentType("application/json").body(body)
                .post("/api/agent-webhooks/" + workflowId + "/trigger");
    }

    private long runsWithRequestId(String requestId) {
        return runs.collection().countDocuments(new Document("requestId", requestId));
    }

    private static double refusedCount() {
        String metrics = given().get("/q/metrics").asString();
        return PrometheusText.sum(metrics, "tollgate_workflow_triggers_refused_total");
    }

    /** What the workers' commits do: every published request counts as taken. */
    private void workersCatchUp() {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, RunQueueLag.WORKERS_GROUP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(RunTopics.REQUESTED).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            c.endOffsets(partitions).forEach((p, end) -> ends.put(p, new OffsetAndMetadata(end)));
            c.commitSync(ends);
        }
    }
}
