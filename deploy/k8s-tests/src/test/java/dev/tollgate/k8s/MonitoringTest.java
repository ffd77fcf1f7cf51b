package dev.tollgate.k8s;

import static dev.tollgate.k8s.Manifests.containers;
import static dev.tollgate.k8s.Manifests.list;
import static dev.tollgate.k8s.Manifests.name;
import static dev.tollgate.k8s.Manifests.podLabels;
import static dev.tollgate.k8s.Manifests.selects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The monitoring component in the production overlays: every Tollgate Deployment is scraped by exactly one
 * ServiceMonitor through a Service that selects its pods on a port its container serves, Prometheus may reach those
 * ports, and the Grafana dashboard loads and asks only for metrics the services register.
 */
class MonitoringTest {

    static final List<String> MONITORED = List.of("production", "production-managed-data");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern METRIC = Pattern.compile("\\btollgate_[a-z_]+");
    private static final Pattern REGISTERED = Pattern.compile("\"(tollgate(?:\\.[a-z]+)+)\"");
    /** What Micrometer's Prometheus registry appends to a meter's name. */
    private static final List<String> SUFFIXES = List.of("_seconds_bucket", "_seconds_count", "_seconds_sum",
            "_seconds_max", "_seconds", "_total");

    @ParameterizedTest
    @FieldSource("MONITORED")
    void everyDeploymentIsScrapedByOneServiceMonitorOnAPortItServes(String overlay) {
        Manifests m = Overlays.render(overlay);
        List<ObjectNode> monitors = m.ofKind("ServiceMonitor");
        for (ObjectNode deployment : m.ofKind("Deployment")) {
            if (!"tollgate".equals(podLabels(deployment).get("app.kubernetes.io/part-of"))) {
                continue;
            }
            List<String> scrapedBy = new ArrayList<>();
            for (ObjectNode monitor : monitors) {
                for (ObjectNode service : m.ofKind("Service")) {
                    if (!selects(monitor.path("spec").path("selector").path("matchLabels"),
                            Manifests.strings(service.path("metadata").path("labels")))
                            || !selects(service.path("spec").path("selector"), podLabels(deployment))) {
                        continue;
                    }
                    for (JsonNode endpoint : monitor.path("spec").path("endpoints")) {
                        JsonNode port = list(service.path("spec").path("ports")).stream()
                                .filter(p -> p.path("name").asText().equals(endpoint.path("port").asText()))
                                .findFirst().orElse(null);
                        if (port == null) {
                            continue; // another Service of the same pods (the gateway's public one)
                        }
                        String target = port.path("targetPort").asText();
                        assertTrue(containers(deployment).stream().flatMap(c -> list(c.path("ports")).stream())
                                .anyMatch(p -> p.path("name").asText().equals(target)),
                                name(deployment) + " serves no port named " + target);
                        assertEquals("/q/metrics", endpoint.path("path").asText());
                        scrapedBy.add(name(monitor) + " via " + name(service));
                    }
                }
            }
            assertEquals(1, scrapedBy.size(), overlay + ": " + name(deployment) + " scraped by " + scrapedBy);
        }
        assertEquals(6, monitors.size(), "one per service, the worker included");
    }

    @ParameterizedTest
    @FieldSource("MONITORED")
    void prometheusMayReachTheMetricsPorts(String overlay) {
        ObjectNode policy = Overlays.render(overlay).get("NetworkPolicy", "prometheus-scrape");
        assertEquals("tollgate", policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1part-of").asText());
        Set<String> ports = new TreeSet<>();
        policy.at("/spec/ingress/0/ports").forEach(p -> ports.add(p.path("port").asText()));
        assertEquals(Set.of("http", "management"), ports);
        assertEquals("monitoring",
                policy.at("/spec/ingress/0/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText());
    }

    @Test
    void theDevOverlayNeedsNoPrometheusOperator() {
        assertTrue(Overlays.render("dev").ofKind("ServiceMonitor").isEmpty());
    }

    @Test
    void theDashboardLoadsAndAsksOnlyForMetricsTheServicesRegister() throws IOException {
        ObjectNode configMap = Overlays.render("production").get("ConfigMap", "tollgate-grafana-dashboard");
        assertEquals("1", configMap.at("/metadata/labels/grafana_dashboard").asText());
        JsonNode dashboard = JSON.readTree(configMap.at("/data/tollgate.json").asText());
        assertEquals("tollgate-overview", dashboard.path("uid").asText());
        List<String> titles = list(dashboard.path("panels")).stream().map(p -> p.path("title").asText()).toList();
        for (String topic : List.of("Runs per second", "queue lag", "Trigger to callback latency",
                "Callback attempts", "Credits charged")) {
            assertTrue(titles.stream().anyMatch(t -> t.toLowerCase().contains(topic.toLowerCase())),
                    "a panel for " + topic + ": " + titles);
        }
        Set<String> registered = registeredMetrics();
        Set<String> asked = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertFalse(panel.path("targets").isEmpty(), panel.path("title").asText() + " queries nothing");
            for (JsonNode target : panel.path("targets")) {
                Matcher metric = METRIC.matcher(target.path("expr").asText());
                while (metric.find()) {
                    asked.add(metric.group());
                }
            }
        }
        assertFalse(asked.isEmpty());
        for (String metric : asked) {
            assertTrue(registered.contains(withoutSuffix(metric)),
                    metric + " is not a metric any service registers; they register " + registered);
        }
    }

    private static String withoutSuffix(String metric) {
        for (String suffix : SUFFIXES) {
            if (metric.endsWith(suffix)) {
                return metric.substring(0, metric.length() - suffix.length());
            }
        }
        return metric;
    }

    /** Every meter name a service's main code spells out ({@code "tollgate.x.y"}), as Prometheus names it. */
    private static Set<String> registeredMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        // platform: what every service registers through the shared library (its own in-flight bound's metrics).
        for (String module : List.of("api-gateway", "credits-service", "catalog-service", "workflow-service",
                "callback-service", "platform")) {
            try (Stream<Path> files = Files.walk(Overlays.repoRoot().resolve(module).resolve("src/main/java"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    try {
                        Matcher m = REGISTERED.matcher(Files.readString(f));
                        while (m.find()) {
                            names.add(m.group(1).replace('.', '_'));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        return names;
    }
}
