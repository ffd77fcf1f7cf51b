package dev.tollgate.k8s;

import static dev.tollgate.k8s.Manifests.containers;
import static dev.tollgate.k8s.Manifests.list;
import static dev.tollgate.k8s.Manifests.name;
import static dev.tollgate.k8s.Manifests.podSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every referenced Secret/ConfigMap (and key) exists; keys reach exactly the pods that need them. */
class SecretsAndConfigTest {

    static final List<String> OVERLAYS = Overlays.ALL;

    /** The pods that sign tokens (README: gateway, catalog, workflow api and worker). */
    static final Set<String> SIGNING = Set.of("api-gateway", "catalog-service", "workflow-api", "workflow-worker");
    static final Set<String> MONGODB_CLIENTS = Set.of("credits-service", "catalog-service", "workflow-api",
            "workflow-worker", "callback-service");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyReferencedSecretAndConfigMapExistsWithTheReferencedKeys(String overlay) {
        Manifests m = Overlays.render(overlay);
        List<String> missing = new ArrayList<>();
        for (ObjectNode workload : m.workloads()) {
            String who = workload.path("kind").asText() + "/" + name(workload);
            for (JsonNode container : containers(workload)) {
                for (JsonNode from : list(container.path("envFrom"))) {
                    check(m, missing, who, "ConfigMap", from.path("configMapRef").path("name"), null);
                    check(m, missing, who, "Secret", from.path("secretRef").path("name"), null);
                }
                for (JsonNode var : list(container.path("env"))) {
                    JsonNode secretRef = var.path("valueFrom").path("secretKeyRef");
                    check(m, missing, who, "Secret", secretRef.path("name"), secretRef.path("key"));
                    JsonNode configRef = var.path("valueFrom").path("configMapKeyRef");
                    check(m, missing, who, "ConfigMap", configRef.path("name"), configRef.path("key"));
                }
            }
            for (JsonNode volume : list(podSpec(workload).path("volumes"))) {
                check(m, missing, who, "Secret", volume.path("secret").path("secretName"), null);
                check(m, missing, who, "ConfigMap", volume.path("configMap").path("name"), null);
                for (JsonNode item : list(volume.path("secret").path("items"))) {
                    check(m, missing, who, "Secret", volume.path("secret").path("secretName"), item.path("key"));
                }
                for (JsonNode item : list(volume.path("configMap").path("items"))) {
                    check(m, missing, who, "ConfigMap", volume.path("configMap").path("name"), item.path("key"));
                }
                for (JsonNode source : list(volume.path("projected").path("sources"))) {
                    for (JsonNode item : list(source.path("secret").path("items"))) {
                        check(m, missing, who, "Secret", source.path("secret").path("name"), item.path("key"));
                    }
                    check(m, missing, who, "Secret", source.path("secret").path("name"), null);
                }
            }
        }
        assertEquals(List.of(), missing, overlay);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void thePrivateKeyIsMountedOnlyIntoThePodsThatSign(String overlay) {
        Manifests m = Overlays.render(overlay);
        List<String> privateKeySecrets = m.ofKind("Secret").stream()
                .filter(s -> m.data("Secret", name(s)).values().stream().anyMatch(v -> v.contains("PRIVATE KEY")))
                .map(Manifests::name).toList();
        assertEquals(1, privateKeySecrets.size(), "one Secret holds the signing key: " + privateKeySecrets);
        Set<String> holders = new TreeSet<>();
        for (ObjectNode workload : m.workloads()) {
            String podText = workload.path("spec").path("template").toString();
            if (podText.contains("\"" + privateKeySecrets.getFirst() + "\"")) {
                holders.add(name(workload));
            }
        }
        assertEquals(new TreeSet<>(SIGNING), holders, overlay + ": pods that can read the private key");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyServiceFindsTheKeysWhereItsConfigurationLooks(String overlay) {
        Manifests m = Overlays.render(overlay);
        for (ObjectNode deployment : m.ofKind("Deployment")) {
            JsonNode container = containers(deployment).getFirst();
            Map<String, String> env = m.environment(container);
            Map<String, String> files = m.mountedSecretFiles(deployment, container);
            String publicKey = env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
            assertNotNull(files.get(publicKey), name(deployment) + " verifies with " + publicKey + ", which is not mounted");
            assertTrue(m.data("Secret", files.get(publicKey)).values().stream().anyMatch(v -> v.contains("PUBLIC KEY")));
            if (SIGNING.contains(name(deployment))) {
                // application.properties: smallrye.jwt.sign.key.location (the gateway reads it via
                // tollgate.jwt.private-key-location).
                String signKey = env.getOrDefault("SMALLRYE_JWT_SIGN_KEY_LOCATION", env.get("TOLLGATE_JWT_PRIVATE_KEY_LOCATION"));
                assertNotNull(signKey, name(deployment) + " signs but names no key location");
                assertNotNull(files.get(signKey), name(deployment) + " signs with " + signKey + ", which is not mounted");
            } else {
                assertTrue(files.values().stream().allMatch(secret ->
                        m.data("Secret", secret).values().stream().noneMatch(v -> v.contains("PRIVATE KEY"))), name(deployment));
            }
            String connection = env.get("QUARKUS_MONGODB_CONNECTION_STRING");
            assertEquals(MONGODB_CLIENTS.contains(name(deployment)), connection != null && connection.startsWith("mongodb"),
                    overlay + ": " + name(deployment) + " MongoDB connection string");
        }
        Map<String, String> catalog = m.environment(containers(m.get("Deployment", "catalog-service")).getFirst());
        // A 256-bit AES key, base64: what catalog-service's credentials cipher accepts.
        assertEquals(32, java.util.Base64.getDecoder().decode(catalog.get("TOLLGATE_CATALOG_CREDENTIALS_KEY")).length);
        for (ObjectNode deployment : m.ofKind("Deployment")) {
            if (!name(deployment).equals("catalog-service")) {
                assertTrue(!m.environment(containers(deployment).getFirst()).containsKey("TOLLGATE_CATALOG_CREDENTIALS_KEY"),
                        name(deployment) + " must not get the catalog's credentials key");
            }
        }
    }

    private static void check(Manifests m, List<String> missing, String who, String kind, JsonNode name, JsonNode key) {
        if (name.isMissingNode()) {
            return;
        }
        if (m.find(kind, name.asText()).isEmpty()) {
            missing.add(who + " -> " + kind + "/" + name.asText());
        } else if (key != null && !key.isMissingNode() && !m.data(kind, name.asText()).containsKey(key.asText())) {
            missing.add(who + " -> " + kind + "/" + name.asText() + " key " + key.asText());
        }
    }
}
