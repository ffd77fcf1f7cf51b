package dev.tollgate.k8s;

import static dev.tollgate.k8s.Manifests.list;
import static dev.tollgate.k8s.Manifests.name;
import static dev.tollgate.k8s.Manifests.podLabels;
import static dev.tollgate.k8s.Manifests.selects;
import static dev.tollgate.k8s.Manifests.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Evaluates the rendered NetworkPolicies the way a CNI does (a pod selected by any policy of a direction is
 * isolated in it; the union of those policies' rules is what is allowed) and compares who may reach whom with
 * the call graph in the README.
 */
class NetworkPolicyTest {

    static final List<String> OVERLAYS = Overlays.ALL;
    static final String INGRESS_CONTROLLER = "namespace ingress-nginx";
    static final String DNS = "cluster DNS";
    static final String INTERNET = "public internet";
    static final Set<String> PRIVATE_RANGES = Set.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16");

    /** Who may open connections to each Deployment. */
    static final Map<String, Set<String>> CALLERS = Map.of(
            "api-gateway", Set.of(INGRESS_CONTROLLER),
            "credits-service", Set.of("api-gateway", "catalog-service"),
            "catalog-service", Set.of("api-gateway", "workflow-api", "workflow-worker"),
            "workflow-api", Set.of("api-gateway"),
            "callback-service", Set.of("api-gateway"),
            "workflow-worker", Set.of());

    /** Where each Deployment may connect, besides its data stores. */
    static final Map<String, Set<String>> CALLEES = Map.of(
            "api-gateway", Set.of(DNS, "credits-service", "catalog-service", "workflow-api", "callback-service"),
            "credits-service", Set.of(DNS),
            "catalog-service", Set.of(DNS, "credits-service", INTERNET),
            "workflow-api", Set.of(DNS, "catalog-service"),
            "workflow-worker", Set.of(DNS, "catalog-service", INTERNET),
            "callback-service", Set.of(DNS, INTERNET));
    static final Set<String> USES_MONGODB = Set.of("credits-service", "catalog-service", "workflow-api", "workflow-worker",
            "callback-service");
    static final Set<String> USES_KAFKA = Set.of("credits-service", "workflow-api", "workflow-worker", "callback-service");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void ingressIsDeniedByDefaultAndOpenOnlyToTheCallers(String overlay) {
        Manifests m = Overlays.render(overlay);
        assertTrue(m.ofKind("NetworkPolicy").stream().anyMatch(p -> p.path("spec").path("podSelector").isEmpty()
                        && list(p.path("spec").path("policyTypes")).stream().anyMatch(t -> t.asText().equals("Ingress"))
                        && p.path("spec").path("ingress").isEmpty()),
                overlay + ": no default-deny ingress policy");
        Map<String, Set<String>> actual = new TreeMap<>();
        for (ObjectNode deployment : m.ofKind("Deployment")) {
            Set<String> callers = new TreeSet<>();
            for (ObjectNode policy : policies(m, deployment, "Ingress")) {
                for (JsonNode rule : list(policy.path("spec").path("ingress"))) {
                    if (!rule.has("from")) {
                        fail(name(policy) + " admits everyone to " + name(deployment));
                    }
                    for (JsonNode peer : list(rule.path("from"))) {
                        callers.addAll(describe(m, peer));
                    }
                }
            }
            actual.put(name(deployment), callers);
        }
        Map<String, Set<String>> expected = new TreeMap<>(CALLERS);
        if (MonitoringTest.MONITORED.contains(overlay)) {
            // The monitoring component: Prometheus scrapes every pod (MonitoringTest checks the ports).
            expected.replaceAll((deployment, callers) -> {
                Set<String> withPrometheus = new TreeSet<>(callers);
                withPrometheus.add("namespace monitoring");
                return withPrometheus;
            });
        }
        assertEquals(expected, actual, overlay);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void egressGoesOnlyToDnsTheNeighboursCalledTheDataStoresAndTheInternetWhereNeeded(String overlay) {
        Manifests m = Overlays.render(overlay);
        boolean inCluster = !m.ofKind("StatefulSet").isEmpty();
        Map<String, Set<String>> expected = new TreeMap<>();
        CALLEES.forEach((deployment, callees) -> {
            Set<String> all = new TreeSet<>(callees);
            if (USES_MONGODB.contains(deployment)) {
                all.add(inCluster ? "mongodb" : "any address on port 27017");
            }
            if (USES_KAFKA.contains(deployment)) {
                all.add(inCluster ? "kafka brokers" : "any address on ports 9092-9098");
            }
            expected.put(deployment, all);
        });
        Map<String, Set<String>> actual = new TreeMap<>();
        for (ObjectNode deployment : m.ofKind("Deployment")) {
            List<ObjectNode> policies = policies(m, deployment, "Egress");
            assertTrue(!policies.isEmpty(), name(deployment) + " is not egress-isolated");
            Set<String> callees = new TreeSet<>();
            for (ObjectNode policy : policies) {
                for (JsonNode rule : list(policy.path("spec").path("egress"))) {
                    if (!rule.has("to")) {
                        fail(name(policy) + " lets " + name(deployment) + " reach everything");
                    }
                    for (JsonNode peer : list(rule.path("to"))) {
                        callees.addAll(describeDestination(m, peer, rule.path("ports")));
                    }
                }
            }
            actual.put(name(deployment), callees);
        }
        assertEquals(expected, actual, overlay);
    }

    /** The policies of one direction that select the Deployment's pods. */
    private static List<ObjectNode> policies(Manifests m, ObjectNode deployment, String direction) {
        return m.ofKind("NetworkPolicy").stream()
                .filter(p -> list(p.path("spec").path("policyTypes")).stream().anyMatch(t -> t.asText().equals(direction)))
                .filter(p -> {
                    JsonNode selector = p.path("spec").path("podSelector");
                    if (selector.has("matchExpressions")) {
                        fail(name(p) + ": matchExpressions are not evaluated by this test");
                    }
                    return selects(selector.path("matchLabels"), podLabels(deployment));
                })
                .toList();
    }

    /** Names the pods of this namespace a peer selects (Deployments, StatefulSets, Jobs), or what it is outside. */
    private static Set<String> describe(Manifests m, JsonNode peer) {
        if (peer.has("namespaceSelector")) {
            String namespace = strings(peer.path("namespaceSelector").path("matchLabels")).get("kubernetes.io/metadata.name");
            return Set.of("namespace " + namespace);
        }
        if (peer.has("ipBlock")) {
            return Set.of("ipBlock " + peer.path("ipBlock"));
        }
        Set<String> names = new TreeSet<>();
        for (ObjectNode workload : m.workloads()) {
            if (selects(peer.path("podSelector").path("matchLabels"), podLabels(workload))) {
                names.add(name(workload));
            }
        }
        if (names.isEmpty()) {
            fail("a peer selects no pod: " + peer);
        }
        return names;
    }

    private static Set<String> describeDestination(Manifests m, JsonNode peer, JsonNode ports) {
        if (peer.has("namespaceSelector")) {
            Map<String, String> namespace = strings(peer.path("namespaceSelector").path("matchLabels"));
            Map<String, String> pods = strings(peer.path("podSelector").path("matchLabels"));
            if (namespace.equals(Map.of("kubernetes.io/metadata.name", "kube-system"))
                    && pods.equals(Map.of("k8s-app", "kube-dns"))
                    && list(ports).stream().allMatch(p -> p.path("port").asInt() == 53)) {
                return Set.of(DNS);
            }
            return Set.of("namespace " + namespace + " pods " + pods);
        }
        if (peer.has("ipBlock")) {
            JsonNode block = peer.path("ipBlock");
            Set<String> except = new TreeSet<>();
            list(block.path("except")).forEach(e -> except.add(e.asText()));
            if (block.path("cidr").asText().equals("0.0.0.0/0") && except.equals(PRIVATE_RANGES) && ports.isMissingNode()) {
                return Set.of(INTERNET);
            }
            if (block.path("cidr").asText().equals("0.0.0.0/0") && except.isEmpty() && ports.size() == 1) {
                JsonNode port = ports.get(0);
                return Set.of(port.has("endPort")
                        ? "any address on ports " + port.path("port").asInt() + "-" + port.path("endPort").asInt()
                        : "any address on port " + port.path("port").asInt());
            }
            return Set.of("ipBlock " + block + " ports " + ports);
        }
        Map<String, String> pods = strings(peer.path("podSelector").path("matchLabels"));
        // Strimzi's broker pods are not in the render; they carry these labels.
        if (pods.equals(Map.of("strimzi.io/cluster", "tollgate", "strimzi.io/kind", "Kafka"))) {
            assertEquals("tollgate", name(m.ofKind("Kafka").getFirst()));
            return Set.of("kafka brokers");
        }
        return describe(m, peer);
    }
}
