package dev.tollgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every object every overlay renders is valid against its Kubernetes, KEDA or Strimzi schema. */
class SchemaValidationTest {

    private static final SchemaCatalog SCHEMAS = new SchemaCatalog();
    static final List<String> OVERLAYS = Overlays.ALL;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyRenderedObjectMatchesItsSchema(String overlay) {
        Manifests manifests = Overlays.render(overlay);
        assertTrue(manifests.objects().size() > 20, overlay + " rendered only " + manifests.objects().size() + " objects");
        List<String> problems = new ArrayList<>();
        for (ObjectNode object : manifests.objects()) {
            for (String problem : SCHEMAS.problems(object)) {
                problems.add(object.path("kind").asText() + "/" + Manifests.name(object) + " " + problem);
            }
        }
        assertEquals(List.of(), problems, overlay + ": objects that do not match their schema");
    }

    @Test
    void everyOverlayIsTested() throws java.io.IOException {
        try (var dirs = java.nio.file.Files.list(Overlays.repoRoot().resolve("deploy/k8s/overlays"))) {
            assertEquals(new java.util.TreeSet<>(OVERLAYS),
                    new java.util.TreeSet<>(dirs.map(d -> d.getFileName().toString()).toList()));
        }
    }

    // The validation has teeth: the mistakes it exists to catch are reported.

    @Test
    void aMisspelledDeploymentFieldIsAnError() {
        ObjectNode deployment = Overlays.render("dev").get("Deployment", "credits-service").deepCopy();
        ((ObjectNode) deployment.path("spec")).set("replica", deployment.path("spec").path("replicas"));
        assertFalse(SCHEMAS.problems(deployment).isEmpty());
    }

    @Test
    void aProbeWithoutAPortIsAnError() {
        ObjectNode deployment = Overlays.render("dev").get("Deployment", "api-gateway").deepCopy();
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0/readinessProbe/httpGet")).remove("port");
        assertFalse(SCHEMAS.problems(deployment).isEmpty());
    }

    @Test
    void anUnquotedLabelValueIsAnError() {
        ObjectNode service = Overlays.render("dev").get("Service", "api-gateway").deepCopy();
        ((ObjectNode) service.at("/metadata/labels")).put("tier", 1);
        assertFalse(SCHEMAS.problems(service).isEmpty());
    }

    @Test
    void aNumericKedaTriggerSettingIsAnError() {
        // KEDA's trigger metadata is a map of strings; `lagThreshold: 8` is rejected by the API server.
        ObjectNode scaledObject = Overlays.render("dev").get("ScaledObject", "workflow-worker").deepCopy();
        ((ObjectNode) scaledObject.at("/spec/triggers/0/metadata")).put("lagThreshold", 8);
        assertFalse(SCHEMAS.problems(scaledObject).isEmpty());
    }

    @Test
    void anUnknownStrimziFieldIsAnError() {
        ObjectNode topic = Overlays.render("production").get("KafkaTopic", "workflow-run-requested").deepCopy();
        ((ObjectNode) topic.path("spec")).put("partition", 12);
        assertFalse(SCHEMAS.problems(topic).isEmpty());
    }

    @Test
    void aStrimziEnumIsEnforced() {
        ObjectNode pool = Overlays.render("production").get("KafkaNodePool", "dual-role").deepCopy();
        ((ObjectNode) pool.path("spec")).putArray("roles").add("leader");
        assertFalse(SCHEMAS.problems(pool).isEmpty());
    }

    @Test
    void anOldApiVersionHasNoSchema() {
        ObjectNode hpa = Overlays.render("dev").get("HorizontalPodAutoscaler", "api-gateway").deepCopy();
        hpa.put("apiVersion", "autoscaling/v2beta2");
        assertEquals(List.of("no vendored schema for HorizontalPodAutoscaler in autoscaling/v2beta2"),
                SCHEMAS.problems(hpa));
    }
}
