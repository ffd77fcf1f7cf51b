package dev.tollgate.e2e.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** The operations of the API document the gateway serves, as the fuzz test and the matrix read them. */
final class FuzzTargets {

    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    /** The error shape a path's refusals must have. */
    enum Family {
        API, WEBHOOKS, HTML
    }

    /** One operation: its path template, parameters (path and query) and the schema of its JSON body, if any. */
    record Operation(String method, String path, List<JsonNode> parameters, JsonNode bodySchema, Family family) {

        String key() {
            return method + " " + path;
        }
    }

    private FuzzTargets() {
    }

    static JsonNode document(HostilePlatform p) {
        return document(p.gateway);
    }

    /** The OpenAPI document a process serves at {@code /q/openapi}, as JSON. */
    static JsonNode document(String baseUrl) {
        try {
            // HTTP/1.1 as every other client here: the JDK's default h2c upgrade once misread the answer (CI, stop 53).
            HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(
                    URI.create(baseUrl + "/q/openapi?format=json")).build(), HttpResponse.BodyHandlers.ofString());
            return HostilePlatform.JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        JsonNode paths = document.path("paths");
        paths.fieldNames().forEachRemaining(path -> {
            JsonNode item = paths.get(path);
            item.fieldNames().forEachRemaining(method -> {
                if (!METHODS.contains(method)) {
                    return;
                }
                JsonNode op = item.get(method);
                List<JsonNode> parameters = new ArrayList<>();
                item.path("parameters").forEach(prm -> parameters.add(resolve(document, prm)));
                op.path("parameters").forEach(prm -> parameters.add(resolve(document, prm)));
                JsonNode body = resolve(document, op.path("requestBody")).path("content").path("application/json")
                        .path("schema");
                operations.add(new Operation(method.toUpperCase(), path, parameters,
                        body.isMissingNode() ? null : body, familyOf(path)));
            });
        });
        return operations;
    }

    static Family familyOf(String path) {
        if (path.startsWith("/embed")) {
            return Family.HTML;
        }
        return path.startsWith("/api/agent-webhooks") || path.startsWith("/admin/workflows")
                || path.startsWith("/admin/run-limits") || path.startsWith("/admin/callbacks")
                ? Family.WEBHOOKS : Family.API;
    }

    /** {@code node}, or what its {@code $ref} names in the document (followed until it names no other). */
    static JsonNode resolve(JsonNode document, JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; hops < 20 && current.has("$ref"); hops++) {
            String ref = current.get("$ref").asText();
            current = document.at(ref.substring(1));
        }
        return current;
    }
}
