package dev.tollgate.k8s;

import static dev.tollgate.k8s.Manifests.containers;
import static dev.tollgate.k8s.Manifests.list;
import static dev.tollgate.k8s.Manifests.name;
import static dev.tollgate.k8s.Manifests.podLabels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Services reach their pods, probes reach health endpoints, neighbours' URLs reach Services, images are Jib's. */
class ServiceWiringTest {

    static final List<String> OVERLAYS = Overlays.ALL;

    /** Deployment to the Maven module whose image it runs (both workflow roles run one image). */
    static final Map<String, String> IMAGE_MODULE = Map.of("api-gateway", "api-gateway",
            "credits-service", "credits-service", "catalog-service", "catalog-service",
            "workflow-api", "workflow-service", "workflow-worker", "workflow-service",
            "callback-service", "callback-service");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyServiceAndOnlyTheseAreDeployed(String overlay) {
        Manifests m = Overlays.render(overlay);
        assertEquals(IMAGE_MODULE.keySet(), new TreeSet<>(m.ofKind("Deployment").stream().map(Manifests::name).toList()));
        // Everything but the worker is called by someone, so has a Service of its own name.
        for (String deployment : IMAGE_MODULE.keySet()) {
            assertEquals(!deployment.equals("workflow-worker"), m.find("Service", deployment).isPresent(), deployment);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void eachServiceSelectsExactlyItsWorkloadAndTargetsADeclaredPort(String overlay) {
        Manifests m = Overlays.render(overlay);
        for (ObjectNode service : m.ofKind("Service")) {
            JsonNode selector = service.path("spec").path("selector");
            assertFalse(selector.isEmpty(), name(service) + " has no selector");
            List<ObjectNode> selected = m.workloads().stream()
                    .filter(w -> !"Job".equals(w.path("kind").asText()))
                    .filter(w -> Manifests.selects(selector, podLabels(w))).toList();
            assertEquals(1, selected.size(), overlay + ": Service " + name(service) + " selects " + selected.size() + " workloads");
            ObjectNode workload = selected.getFirst();
            // The monitoring component's metrics-only Services are named after their workload too, with -metrics.
            assertEquals(name(service).replaceFirst("-metrics$", ""), name(workload),
                    "a Service is named after what it fronts");
            for (JsonNode port : list(service.path("spec").path("ports"))) {
                assertTrue(declaresPort(workload, port.path("targetPort")),
                        overlay + ": Service " + name(service) + " targets " + port.path("targetPort") + ", not a port of its pods");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void deploymentSelectorsMatchTheirOwnPodsAndTheLabelsAreSet(String overlay) {
        Manifests m = Overlays.render(overlay);
        for (ObjectNode workload : m.workloads()) {
            Map<String, String> labels = podLabels(workload);
            assertEquals("tollgate", labels.get("app.kubernetes.io/part-of"), name(workload));
            assertEquals(name(workload), labels.get("app.kubernetes.io/name"), name(workload));
            assertTrue(labels.containsKey("app.kubernetes.io/component"), name(workload));
            if (!"Job".equals(workload.path("kind").asText())) {
                assertTrue(Manifests.selects(workload.path("spec").path("selector").path("matchLabels"), labels),
                        name(workload) + "'s selector does not select its own pods");
                assertEquals(Set.of("matchLabels"), fieldNames(workload.path("spec").path("selector")));
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void probesHitTheSmallRyeHealthEndpointsOnTheHttpPort(String overlay) {
        Manifests m = Overlays.render(overlay);
        for (ObjectNode deployment : m.ofKind("Deployment")) {
            JsonNode container = containers(deployment).getFirst();
            Map<String, String> probes = Map.of("startupProbe", "/q/health/started", "readinessProbe", "/q/health/ready",
                    "livenessProbe", "/q/health/live");
            probes.forEach((probe, path) -> {
                JsonNode get = container.path(probe).path("httpGet");
                assertEquals(path, get.path("path").asText(), name(deployment) + " " + probe);
                assertTrue(declaresPort(deployment, get.path("port")), name(deployment) + " " + probe + " port " + get.path("port"));
            });
            // The application listens where the probes and the Service look.
            String httpPort = m.environment(container).get("QUARKUS_HTTP_PORT");
            assertTrue(list(container.path("ports")).stream()
                    .anyMatch(p -> String.valueOf(p.path("containerPort").asInt()).equals(httpPort)),
                    name(deployment) + " listens on " + httpPort + " but declares " + container.path("ports"));
        }
    }

    /**
     * Issue 17 item 6: the gateway's health and metrics are on its management port, which its Service (and so the
     * ingress) does not expose; probes and Prometheus look there.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theGatewaysMonitoringIsOffThePortItsServiceExposes(String overlay) {
        Manifests m = Overlays.render(overlay);
        ObjectNode gateway = m.ofKind("Deployment").stream().filter(d -> name(d).equals("api-gateway")).findFirst()
                .orElseThrow();
        JsonNode container = containers(gateway).getFirst();
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertEquals("management", container.path(probe).path("httpGet").path("port").asText(), probe);
        }
        assertTrue(list(container.path("ports")).stream().anyMatch(p -> p.path("name").asText().equals("management")
                && p.path("containerPort").asInt() == 9000), container.path("ports").toString());
        assertEquals("9000", gateway.at("/spec/template/metadata/annotations/prometheus.io~1port").asText());
        ObjectNode service = m.ofKind("Service").stream().filter(sv -> name(sv).equals("api-gateway")).findFirst()
                .orElseThrow();
        for (JsonNode port : list(service.path("spec").path("ports"))) {
            assertEquals("http", port.path("targetPort").asText(), "the Service exposes " + port);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void neighbourUrlsPointAtServicesAndTheirPorts(String overlay) {
        Manifests m = Overlays.render(overlay);
        for (ObjectNode deployment : m.ofKind("Deployment")) {
            m.environment(containers(deployment).getFirst()).forEach((variable, value) -> {
                if (variable.matches("TOLLGATE_[A-Z]+_URL")) {
                    URI url = URI.create(value);
                    ObjectNode service = m.find("Service", url.getHost())
                            .orElseThrow(() -> new AssertionError(variable + "=" + value + ": no such Service"));
                    assertTrue(list(service.path("spec").path("ports")).stream().anyMatch(p -> p.path("port").asInt() == url.getPort()),
                            variable + "=" + value + ": the Service has no such port");
                }
            });
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void imagesFollowTheJibNamingAndTheWorkflowRolesShareOne(String overlay) throws IOException {
        // The scheme the root pom gives Jib: ${tollgate.image.registry}/${project.artifactId}:${project.version}.
        String pom = Files.readString(Overlays.repoRoot().resolve("pom.xml"));
        String registry = group(pom, "<tollgate\\.image\\.registry>([^<]+)</tollgate\\.image\\.registry>");
        assertTrue(pom.contains("<quarkus.container-image.image>${tollgate.image.registry}/${project.artifactId}:${project.version}</quarkus.container-image.image>"));
        String version = group(pom, "<artifactId>tollgate-parent</artifactId>\\s*<version>([^<]+)</version>");
        Manifests m = Overlays.render(overlay);
        for (ObjectNode deployment : m.ofKind("Deployment")) {
            assertEquals(registry + "/" + IMAGE_MODULE.get(name(deployment)) + ":" + version,
                    containers(deployment).getFirst().path("image").asText(), overlay + ": " + name(deployment));
        }
        Map<String, String> apiEnv = m.environment(containers(m.get("Deployment", "workflow-api")).getFirst());
        Map<String, String> workerEnv = m.environment(containers(m.get("Deployment", "workflow-worker")).getFirst());
        assertEquals("api", apiEnv.get("TOLLGATE_WORKFLOW_ROLE"));
        assertEquals("worker", workerEnv.get("TOLLGATE_WORKFLOW_ROLE"));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void onlyTheGatewayIsBehindTheIngress(String overlay) {
        Manifests m = Overlays.render(overlay);
        List<ObjectNode> ingresses = m.ofKind("Ingress");
        assertEquals(1, ingresses.size());
        for (JsonNode rule : list(ingresses.getFirst().path("spec").path("rules"))) {
            for (JsonNode path : list(rule.path("http").path("paths"))) {
                JsonNode backend = path.path("backend").path("service");
                assertEquals("api-gateway", backend.path("name").asText());
                ObjectNode service = m.get("Service", "api-gateway");
                assertTrue(list(service.path("spec").path("ports")).stream()
                        .anyMatch(p -> p.path("name").asText().equals(backend.path("port").path("name").asText())
                                || p.path("port").asInt() == backend.path("port").path("number").asInt()));
            }
        }
        assertTrue(ingresses.getFirst().path("spec").path("defaultBackend").isMissingNode());
        // Nothing else is exposed outside the cluster by a Service either.
        for (ObjectNode service : m.ofKind("Service")) {
            assertTrue(Set.of("", "ClusterIP").contains(service.path("spec").path("type").asText()), name(service));
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyPodCanBeDisruptedOnlyOneAtATime(String overlay) {
        Manifests m = Overlays.render(overlay);
        for (ObjectNode workload : m.workloads()) {
            if ("Job".equals(workload.path("kind").asText())) {
                continue;
            }
            long budgets = m.ofKind("PodDisruptionBudget").stream()
                    .filter(pdb -> Manifests.selects(pdb.path("spec").path("selector").path("matchLabels"), podLabels(workload)))
                    .count();
            assertEquals(1, budgets, overlay + ": PodDisruptionBudgets covering " + name(workload));
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyContainerHasMemoryAndCpuRequestsAndLimits(String overlay) {
        Manifests m = Overlays.render(overlay);
        for (ObjectNode workload : m.workloads()) {
            for (JsonNode container : containers(workload)) {
                for (String bound : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        assertFalse(container.path("resources").path(bound).path(resource).asText().isEmpty(),
                                overlay + ": " + name(workload) + "/" + container.path("name").asText() + " " + bound + "." + resource);
                    }
                }
            }
        }
        // The JVM sizes its heap from the limit, so the flag must reach every service.
        for (ObjectNode deployment : m.ofKind("Deployment")) {
            assertTrue(m.environment(containers(deployment).getFirst()).getOrDefault("JAVA_OPTS_APPEND", "")
                    .contains("-XX:MaxRAMPercentage="), name(deployment));
        }
    }

    static boolean declaresPort(JsonNode workload, JsonNode port) {
        for (JsonNode container : containers(workload)) {
            for (JsonNode declared : list(container.path("ports"))) {
                if (port.isTextual() && port.asText().equals(declared.path("name").asText())
                        || port.isInt() && port.asInt() == declared.path("containerPort").asInt()) {
                    return true;
                }
            }
        }
        return false;
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String group(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find()) {
            fail("not found: " + regex);
        }
        return matcher.group(1);
    }
}
