package dev.tollgate.catalog.products;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.tollgate.platform.web.ValidationProblem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Validates tool parameters against an action's JSON Schema (draft 2020-12) with networknt's validator; compiled
 * schemas are cached by their text. Errors come back as the contract's 422 entries, {@code loc} pointing into
 * {@code parameters}.
 */
@ApplicationScoped
public class ActionSchemas {

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    private static final ObjectMapper READER = new ObjectMapper();

    private volatile Schema metaSchema;

    /**
     * Checks that a schema is one we can use: valid against the 2020-12 meta-schema, describing an object (the
     * parameters), and compilable. Throws {@link IllegalArgumentException} with the reason otherwise.
     */
    public void check(String schemaJson) {
        List<Error> problems = meta().validate(schemaJson, InputFormat.JSON);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("not a valid JSON Schema (2020-12): " + problems.getFirst().getMessage());
        }
        JsonNode root;
        try {
            root = READER.readTree(schemaJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (!"object".equals(root.path("type").asText())) {
            throw new IllegalArgumentException("parameters_schema must describe an object (\"type\": \"object\")");
        }
        compile(schemaJson);
    }

    private Schema meta() {
        if (metaSchema == null) {
            metaSchema = registry.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
        }
        return metaSchema;
    }

    public List<FieldError> validate(String schemaJson, JsonNode parameters, List<Object> locPrefix) {
        List<FieldError> errors = new ArrayList<>();
        for (Error e : compile(schemaJson).validate(parameters)) {
            List<Object> loc = new ArrayList<>(locPrefix);
            var path = e.getInstanceLocation();
            for (int i = 0; i < path.getNameCount(); i++) {
                loc.add(path.getElement(i));
            }
            String type = e.getKeyword();
            if ("required".equals(type) && e.getProperty() != null) {
                loc.add(e.getProperty());
                type = "missing";
            }
            errors.add(FieldError.of(loc, e.getMessage(), type, e.getInstanceNode()));
        }
        return errors;
    }

    private Schema compile(String schemaJson) {
        return compiled.computeIfAbsent(schemaJson, json -> {
            try {
                return registry.getSchema(json, InputFormat.JSON);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a usable JSON Schema: " + e.getMessage(), e);
            }
        });
    }
}
