package dev.tollgate.e2e.documents;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Compares the public API document the gateway serves (written by hand) with the documents the services generate
 * from their Java types (SmallRye OpenAPI reads the records their endpoints take and return): for every documented
 * operation, the JSON request body and the success answers must have the same fields, recursively, with compatible
 * types. A field added to a record and not documented, documented and not in the record, or a number documented as a
 * string, is a difference. Pure: two parsed documents in, a list of differences out.
 */
public final class SchemaConformance {

    /** A documented operation and where a service serves it. */
    public record Operation(String method, String path) {
        public String key() {
            return method.toUpperCase() + " " + templateOf(path);
        }
    }

    private static final int MAX_DEPTH = 12;
    private final JsonNode documented;
    private final JsonNode generated;

    public SchemaConformance(JsonNode documented, JsonNode generated) {
        this.documented = documented;
        this.generated = generated;
    }

    /** {@code /runs/{runId}} and {@code /runs/{id}} are the same operation: parameter names are the authors' choice. */
    public static String templateOf(String path) {
        return path.replaceAll("\\{[^}]+}", "{}");
    }

    /** The generated document's operation for a documented one, if the service serves it. */
    public Optional<JsonNode> generatedOperation(Operation op) {
        for (Iterator<Map.Entry<String, JsonNode>> paths = generated.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            if (templateOf(p.getKey()).equals(templateOf(op.path())) && p.getValue().has(op.method())) {
                return Optional.of(p.getValue().get(op.method()));
            }
        }
        return Optional.empty();
    }

    /**
     * The differences between the documented operation and the generated one: its JSON request body and every
     * documented success answer ({@code 2xx}) with a JSON body. An answer or body the service does not type (a plain
     * {@code Response} or a {@code String} body) is a difference too: it cannot be checked.
     */
    public List<String> differences(Operation op, JsonNode generatedOp) {
        List<String> found = new ArrayList<>();
        JsonNode docOp = documented.path("paths").path(op.path()).path(op.method());
        JsonNode docBody = jsonSchema(documented, docOp.path("requestBody"));
        if (docBody != null) {
            JsonNode genBody = jsonSchema(generated, generatedOp.path("requestBody"));
            if (genBody == null) {
                found.add(op.key() + " request body: the service does not declare its type");
            } else {
                compare(op.key() + " request body", docBody, genBody, found, 0);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> answers = docOp.path("responses").fields(); answers.hasNext(); ) {
            Map.Entry<String, JsonNode> answer = answers.next();
            if (!answer.getKey().startsWith("2")) {
                continue;
            }
            JsonNode docAnswer = jsonSchema(documented, answer.getValue());
            if (docAnswer == null) {
                continue; // no body (204) or not JSON (HTML pages)
            }
            JsonNode genAnswer = successAnswer(generatedOp.path("responses"), answer.getKey());
            if (genAnswer == null) {
                found.add(op.key() + " " + answer.getKey() + ": the service does not declare the answer's type");
            } else {
                compare(op.key() + " " + answer.getKey(), docAnswer, genAnswer, found, 0);
            }
        }
        return found;
    }

    /** The generated answer for a documented status: that status's, else the generated document's only success. */
    private JsonNode successAnswer(JsonNode responses, String status) {
        JsonNode exact = jsonSchema(generated, responses.path(status));
        if (exact != null) {
            return exact;
        }
        List<JsonNode> successes = new ArrayList<>();
        responses.fields().forEachRemaining(e -> {
            JsonNode schema = e.getKey().startsWith("2") ? jsonSchema(generated, e.getValue()) : null;
            if (schema != null) {
                successes.add(schema);
            }
        });
        return successes.size() == 1 ? successes.getFirst() : null;
    }

    /** The {@code application/json} schema of a response or request body (following {@code $ref}s), or null. */
    private static JsonNode jsonSchema(JsonNode document, JsonNode holder) {
        JsonNode resolved = resolve(document, holder);
        JsonNode schema = resolved.path("content").path("application/json").path("schema");
        return schema.isMissingNode() ? null : schema;
    }

    private static JsonNode resolve(JsonNode document, JsonNode node) {
        for (int hops = 0; node.has("$ref") && hops < MAX_DEPTH; hops++) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalArgumentException("only local references are supported: " + ref);
            }
            node = document.at(ref.substring(1));
        }
        return node;
    }

    /** A schema with its {@code $ref} followed and its {@code allOf} parts merged into one object schema. */
    private static JsonNode flatten(JsonNode document, JsonNode schema) {
        JsonNode resolved = resolve(document, schema);
        if (!resolved.has("allOf")) {
            return resolved;
        }
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        ObjectNode properties = merged.putObject("properties");
        merged.put("type", "object");
        resolved.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("allOf") && !e.getKey().equals("properties")) {
                merged.set(e.getKey(), e.getValue());
            }
        });
        if (resolved.has("properties")) {
            properties.setAll((ObjectNode) resolved.get("properties"));
        }
        for (JsonNode part : resolved.get("allOf")) {
            JsonNode flat = flatten(document, part);
            if (flat.has("properties")) {
                properties.setAll((ObjectNode) flat.get("properties"));
            }
        }
        return merged;
    }

    private void compare(String where, JsonNode docSchema, JsonNode genSchema, List<String> found, int depth) {
        if (depth > MAX_DEPTH) {
            return;
        }
        JsonNode doc = flatten(documented, docSchema);
        JsonNode gen = flatten(generated, genSchema);
        if (isAnything(doc)) {
            return; // a free-form value (caller's metadata, a tool's own answer): nothing to hold it to
        }
        if (gen.has("oneOf") && doc.has("properties")) {
            // one documented object over typed alternatives (a step of each type): every alternative has its fields
            int i = 0;
            for (JsonNode alternative : gen.get("oneOf")) {
                String name = alternative.has("$ref") ? alternative.get("$ref").asText()
                        .substring(alternative.get("$ref").asText().lastIndexOf('/') + 1) : Integer.toString(i);
                compare(where + "<" + name + ">", docSchema, alternative, found, depth + 1);
                i++;
            }
            return;
        }
        if (isAnything(gen)) {
            return;
        }
        String docType = typeOf(doc);
        String genType = typeOf(gen);
        if (!compatible(docType, genType)) {
            found.add(where + ": documented " + docType + ", the type says " + genType);
            return;
        }
        if ("array".equals(docType)) {
            compare(where + "[]", doc.path("items"), gen.path("items"), found, depth + 1);
            return;
        }
        if (!"object".equals(docType)) {
            return;
        }
        if (!doc.has("properties") || !gen.has("properties")) {
            if (doc.has("properties") != gen.has("properties")) {
                found.add(where + ": documented " + (doc.has("properties") ? "fields " + names(doc) : "a map")
                        + ", the type has " + (gen.has("properties") ? "fields " + names(gen) : "a map"));
            }
            return;
        }
        Set<String> docFields = names(doc);
        Set<String> genFields = names(gen);
        for (String f : docFields) {
            if (!genFields.contains(f)) {
                found.add(where + "." + f + ": documented, not in the type");
            }
        }
        boolean open = doc.path("additionalProperties").asBoolean(false);
        for (String f : genFields) {
            if (!docFields.contains(f) && !open) {
                found.add(where + "." + f + ": in the type, not documented");
            }
        }
        for (String f : docFields) {
            if (genFields.contains(f)) {
                compare(where + "." + f, doc.get("properties").get(f), gen.get("properties").get(f), found,
                        depth + 1);
            }
        }
    }

    private static Set<String> names(JsonNode objectSchema) {
        Set<String> names = new TreeSet<>();
        objectSchema.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A schema that admits any value: no type and no structure, or a oneOf/anyOf of alternatives. */
    private static boolean isAnything(JsonNode schema) {
        return schema.has("oneOf") || schema.has("anyOf")
                || (!schema.has("type") && !schema.has("properties") && !schema.has("items"));
    }

    private static String typeOf(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            // OpenAPI 3.1's ["string", "null"]: the value's type is the one that is not null
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
        }
        if (type.isTextual()) {
            return type.asText();
        }
        return schema.has("properties") ? "object" : schema.has("items") ? "array" : "any";
    }

    private static boolean compatible(String documented, String typed) {
        return documented.equals(typed) || ("number".equals(documented) && "integer".equals(typed))
                || ("integer".equals(documented) && "number".equals(typed));
    }
}
