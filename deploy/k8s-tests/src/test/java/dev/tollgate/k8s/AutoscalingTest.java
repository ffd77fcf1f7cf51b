package dev.tollgate.k8s;

import static dev.tollgate.k8s.Manifests.containers;
import static dev.tollgate.k8s.Manifests.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** CPU autoscaling for the API services; KEDA, on the run-request lag, for the workers alone. */
class AutoscalingTest {

    static final List<String> OVERLAYS = Overlays.ALL;
    static final Set<String> API_SERVICES = Set.of("api-gateway", "credits-service", "catalog-service", "workflow-api",
            "callback-service");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void eachApiServiceHasOneHorizontalPodAutoscalerAndTheWorkerNone(String overlay) {
        Manifests m = Overlays.render(overlay);
        Set<String> targets = new TreeSet<>();
        for (ObjectNode hpa : m.ofKind("HorizontalPodAutoscaler")) {
            JsonNode target = hpa.path("spec").path("scaleTargetRef");
            assertEquals("Deployment", target.path("kind").asText());
            assertTrue(m.find("Deployment", target.path("name").asText()).isPresent(), name(hpa) + " targets nothing");
            assertTrue(targets.add(target.path("name").asText()), "two autoscalers for " + target.path("name").asText());
            int min = hpa.path("spec").path("minReplicas").asInt();
            assertTrue(min >= 1 && min <= hpa.path("spec").path("maxReplicas").asInt(), name(hpa));
            if (overlay.startsWith("production")) {
                assertTrue(min >= 2, overlay + ": " + name(hpa) + " may drop to one pod");
            }
        }
        assertEquals(new TreeSet<>(API_SERVICES), targets);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void eachWorkerPodIsAStaticMemberOfTheGroupUnderItsOwnPodName(String overlay) {
        Manifests m = Overlays.render(overlay);
        JsonNode container = containers(m.get("Deployment", "workflow-worker")).getFirst();
        JsonNode instanceId = null;
        for (JsonNode var : container.path("env")) {
            if ("TOLLGATE_WORKFLOW_WORKER_GROUP_INSTANCE_ID".equals(var.path("name").asText())) {
                instanceId = var;
            }
        }
        assertNotNull(instanceId, overlay + ": the worker has no group instance id");
        // Unique per live pod (two members under one id fence each other), the same across the container's restarts.
        // That the worker reads this variable is shown by WorkersIT, which starts workers with it.
        assertEquals("metadata.name", instanceId.path("valueFrom").path("fieldRef").path("fieldPath").asText());
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void kedaScalesOnlyTheWorkersOnTheLagOfTheirConsumerGroup(String overlay) throws IOException {
        Manifests m = Overlays.render(overlay);
        List<ObjectNode> scaledObjects = m.ofKind("ScaledObject");
        assertEquals(1, scaledObjects.size());
        JsonNode spec = scaledObjects.getFirst().path("spec");
        assertEquals("workflow-worker", spec.path("scaleTargetRef").path("name").asText());
        // The default target kind is a Deployment: there must be one by that name.
        assertTrue(spec.path("scaleTargetRef").path("kind").isMissingNode()
                || "Deployment".equals(spec.path("scaleTargetRef").path("kind").asText()));
        m.get("Deployment", "workflow-worker");

        JsonNode trigger = spec.path("triggers").get(0);
        assertEquals(1, spec.path("triggers").size());
        assertEquals("kafka", trigger.path("type").asText());
        JsonNode metadata = trigger.path("metadata");
        assertEquals("workflow.run.requested", metadata.path("topic").asText());
        assertEquals("workflow-workers", metadata.path("consumerGroup").asText());
        // The group and topic are the ones the worker really consumes (RunRequestListener).
        String listener = Files.readString(Overlays.repoRoot().resolve(
                "workflow-service/src/main/java/dev/tollgate/workflow/worker/RunRequestListener.java"));
        assertTrue(listener.contains("GROUP_ID_CONFIG, \"workflow-workers\""));
        assertTrue(listener.contains("subscribe(List.of(\"workflow.run.requested\")"));

        // KEDA reads the bootstrap servers from the worker container's environment: the same Kafka the worker uses.
        String variable = metadata.path("bootstrapServersFromEnv").asText();
        String bootstrap = m.environment(containers(m.get("Deployment", "workflow-worker")).getFirst()).get(variable);
        assertNotNull(bootstrap, "the worker has no " + variable);
        assertTrue(!bootstrap.contains("invalid"), overlay + ": Kafka is not configured (" + bootstrap + ")");

        // Lag per replica equals the runs one worker executes at once.
        String concurrency = m.environment(containers(m.get("Deployment", "workflow-worker")).getFirst())
                .get("TOLLGATE_WORKFLOW_WORKER_CONCURRENCY");
        assertEquals(concurrency, metadata.path("lagThreshold").asText());
        assertEquals("false", metadata.path("allowIdleConsumers").asText());
        int min = spec.path("minReplicaCount").asInt();
        int max = spec.path("maxReplicaCount").asInt();
        assertTrue(1 <= min && min <= max, min + ".." + max);

        // More workers than partitions would sit idle: stay within the topic's partitions when it is declared here.
        m.ofKind("KafkaTopic").stream()
                .filter(t -> "workflow.run.requested".equals(t.path("spec").path("topicName").asText()))
                .forEach(t -> assertTrue(max <= t.path("spec").path("partitions").asInt(),
                        overlay + ": maxReplicaCount " + max + " > partitions " + t.path("spec").path("partitions")));
        if (overlay.startsWith("production")) {
            assertEquals(12, max);
        }
    }
}
