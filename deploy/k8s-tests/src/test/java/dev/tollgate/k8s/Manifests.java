package dev.tollgate.k8s;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One overlay's rendered objects, with the look-ups the wiring tests share. */
record Manifests(String overlay, List<ObjectNode> objects) {

    /** Workload kinds whose pod templates the tests inspect. */
    static final List<String> WORKLOADS = List.of("Deployment", "StatefulSet", "Job");

    List<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<ObjectNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(name(o))).findFirst();
    }

    ObjectNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " named " + name));
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    List<ObjectNode> workloads() {
        return objects.stream().filter(o -> WORKLOADS.contains(o.path("kind").asText())).toList();
    }

    static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    static Map<String, String> podLabels(JsonNode workload) {
        return strings(workload.path("spec").path("template").path("metadata").path("labels"));
    }

    static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    static List<JsonNode> containers(JsonNode workload) {
        List<JsonNode> all = new ArrayList<>(list(podSpec(workload).path("initContainers")));
        all.addAll(list(podSpec(workload).path("containers")));
        return all;
    }

    /** matchLabels selects the labels when every pair is among them (the tests reject matchExpressions). */
    static boolean selects(JsonNode matchLabels, Map<String, String> labels) {
        Map<String, String> wanted = strings(matchLabels);
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** A Secret's or ConfigMap's keys with their decoded values. */
    Map<String, String> data(String kind, String name) {
        ObjectNode object = get(kind, name);
        Map<String, String> out = new HashMap<>(strings(object.path("data")));
        if ("Secret".equals(kind)) {
            out.replaceAll((k, v) -> new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8));
            out.putAll(strings(object.path("stringData")));
        }
        return out;
    }

    /**
     * The environment a container sees, as Kubernetes would build it: envFrom first, then env. Values from Secrets
     * are resolved too, so tests can compare them.
     */
    Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : list(container.path("envFrom"))) {
            if (from.has("configMapRef")) {
                env.putAll(data("ConfigMap", from.path("configMapRef").path("name").asText()));
            }
            if (from.has("secretRef")) {
                env.putAll(data("Secret", from.path("secretRef").path("name").asText()));
            }
        }
        for (JsonNode var : list(container.path("env"))) {
            String value;
            if (var.has("value")) {
                value = var.path("value").asText();
            } else if (var.path("valueFrom").has("secretKeyRef")) {
                JsonNode ref = var.path("valueFrom").path("secretKeyRef");
                value = data("Secret", ref.path("name").asText()).get(ref.path("key").asText());
            } else if (var.path("valueFrom").has("configMapKeyRef")) {
                JsonNode ref = var.path("valueFrom").path("configMapKeyRef");
                value = data("ConfigMap", ref.path("name").asText()).get(ref.path("key").asText());
            } else {
                value = null;
            }
            env.put(var.path("name").asText(), value);
        }
        return env;
    }

    /**
     * Every file a container can read from a mounted Secret, by absolute path, mapped to the Secret's name.
     * Handles secret and projected volumes, with and without items.
     */
    Map<String, String> mountedSecretFiles(JsonNode workload, JsonNode container) {
        Map<String, String> files = new LinkedHashMap<>();
        for (JsonNode mount : list(container.path("volumeMounts"))) {
            String dir = mount.path("mountPath").asText();
            for (JsonNode volume : list(podSpec(workload).path("volumes"))) {
                if (!volume.path("name").asText().equals(mount.path("name").asText())) {
                    continue;
                }
                List<JsonNode> sources = new ArrayList<>();
                if (volume.has("secret")) {
                    sources.add(volume.path("secret"));
                }
                for (JsonNode source : list(volume.path("projected").path("sources"))) {
                    if (source.has("secret")) {
                        sources.add(source.path("secret"));
                    }
                }
                for (JsonNode secret : sources) {
                    String secretName = secret.has("secretName") ? secret.path("secretName").asText()
                            : secret.path("name").asText();
                    if (secret.has("items")) {
                        for (JsonNode item : list(secret.path("items"))) {
                            files.put(dir + "/" + item.path("path").asText(), secretName);
                        }
                    } else if (find("Secret", secretName).isPresent()) {
                        data("Secret", secretName).keySet().forEach(key -> files.put(dir + "/" + key, secretName));
                    }
                }
            }
        }
        return files;
    }
}
