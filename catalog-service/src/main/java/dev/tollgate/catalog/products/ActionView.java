package dev.tollgate.catalog.products;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One action of a tool as callers see it; {@code parameters_schema} is the schema itself, not its text. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ActionView(String name, String description,
        @Schema(type = SchemaType.OBJECT, implementation = Object.class) JsonNode parametersSchema) {

    public static ActionView of(ProductAction a, ObjectMapper mapper) {
        return new ActionView(a.name, a.description, schema(a.parametersSchema, mapper));
    }

    /** A stored schema that cannot be read (never written so: schemas are checked when saved) shows as null. */
    private static JsonNode schema(String json, ObjectMapper mapper) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }
}
