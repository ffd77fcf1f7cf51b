package dev.tollgate.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * Validates rendered objects offline against the schemas vendored in src/test/resources/schemas (see
 * regenerate-schemas for where each comes from): Kubernetes 1.30 and KEDA as JSON Schemas, Strimzi and the
 * Prometheus Operator's ServiceMonitor as their CRDs,
 * whose openAPIV3Schema is turned into a JSON Schema here. Unknown fields are errors everywhere (the API server
 * would drop them silently, or warn), and an object of a kind or apiVersion without a schema is an error too.
 */
final class SchemaCatalog {

    private static final String STRIMZI = "schemas/strimzi-1.2.0/";
    private static final List<String> STRIMZI_CRDS = List.of("040-Crd-kafka.yaml", "043-Crd-kafkatopic.yaml",
            "045-Crd-kafkanodepool.yaml");
    private static final String PROMETHEUS_OPERATOR =
            "schemas/prometheus-operator-0.93.0/monitoring.coreos.com_servicemonitors.yaml";

    private final ObjectMapper json = new ObjectMapper();
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    /** "apiVersion kind" to its schema. */
    private final Map<String, Schema> schemas = new HashMap<>();
    private final Schema objectMeta;

    SchemaCatalog() {
        ObjectNode kubernetes = (ObjectNode) read("schemas/kubernetes-1.30.json", json);
        addDefinitions(kubernetes);
        addDefinitions((ObjectNode) read("schemas/keda-2-scaledobject.json", json));
        objectMeta = registry.getSchema(rootedAt(kubernetes, "ObjectMeta"));
        for (String crd : STRIMZI_CRDS) {
            addCrd(read(STRIMZI + crd, new YAMLMapper()));
        }
        addCrd(read(PROMETHEUS_OPERATOR, new YAMLMapper()));
    }

    /** Every problem with the object, as readable lines; empty when it is valid. */
    List<String> problems(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        Schema schema = schemas.get(apiVersion + " " + kind);
        if (schema == null) {
            return List.of("no vendored schema for " + kind + " in " + apiVersion);
        }
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(object)) {
            problems.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        for (Error error : objectMeta.validate(object.path("metadata"))) {
            problems.add("$.metadata" + error.getInstanceLocation().toString().substring(1) + ": " + error.getMessage());
        }
        return problems;
    }

    /** The generated schemas list every kind as a property of "Kinds"; each kind pins its apiVersion. */
    private void addDefinitions(ObjectNode document) {
        Iterator<String> kinds = document.path("definitions").path("Kinds").path("properties").fieldNames();
        while (kinds.hasNext()) {
            String kind = kinds.next();
            String ref = document.path("definitions").path("Kinds").path("properties").path(kind).path("$ref").asText();
            String definition = ref.substring(ref.lastIndexOf('/') + 1);
            String apiVersion = document.path("definitions").path(definition).path("properties").path("apiVersion")
                    .path("const").asText();
            schemas.put(apiVersion + " " + kind, registry.getSchema(rootedAt(document, definition)));
        }
    }

    private ObjectNode rootedAt(ObjectNode document, String definition) {
        ObjectNode root = document.deepCopy();
        root.put("$ref", "#/definitions/" + definition);
        return root;
    }

    private void addCrd(JsonNode crd) {
        String group = crd.path("spec").path("group").asText();
        String kind = crd.path("spec").path("names").path("kind").asText();
        for (JsonNode version : crd.path("spec").path("versions")) {
            JsonNode schema = strict(version.path("schema").path("openAPIV3Schema").deepCopy());
            ((ObjectNode) schema).put("$schema", "http://json-schema.org/draft-07/schema#");
            schemas.put(group + "/" + version.path("name").asText() + " " + kind, registry.getSchema(schema));
        }
    }

    /**
     * OpenAPI v3 (structural CRD schema) to JSON Schema: objects with declared properties reject others unless they
     * preserve unknown fields; nullable becomes a null type; Kubernetes extensions and formats are dropped.
     */
    static JsonNode strict(JsonNode node) {
        if (node instanceof ObjectNode object) {
            boolean preserveUnknown = object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            if (object.has("properties") && !object.has("additionalProperties") && !preserveUnknown) {
                object.put("additionalProperties", false);
            }
            if (object.path("nullable").asBoolean(false) && object.path("type").isTextual()) {
                ArrayNode types = object.arrayNode().add(object.path("type").asText()).add("null");
                object.set("type", types);
            }
            object.remove("nullable");
            object.remove("format");
            List<String> extensions = new ArrayList<>();
            object.fieldNames().forEachRemaining(name -> {
                if (name.startsWith("x-kubernetes-")) {
                    extensions.add(name);
                }
            });
            object.remove(extensions);
            object.path("properties").forEach(SchemaCatalog::strict);
            for (String child : List.of("items", "additionalProperties", "not")) {
                if (object.path(child).isObject()) {
                    strict(object.path(child));
                }
            }
            for (String list : List.of("allOf", "anyOf", "oneOf")) {
                object.path(list).forEach(SchemaCatalog::strict);
            }
        }
        return node;
    }

    private static JsonNode read(String resource, ObjectMapper mapper) {
        try (InputStream in = SchemaCatalog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing vendored schema " + resource);
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
