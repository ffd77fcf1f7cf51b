package dev.tollgate.catalog.products;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The body of creating or replacing a product, as it travels: what the service declares in its API document (and
 * what the e2e document check holds the published document to). {@link ProductDefinition#parse} reads a body of this
 * shape field by field, because it reports every problem at once in the 422 {@code detail} list and checks what a
 * type cannot (action schemas compile, the built-in exists, the vendor URL meets the egress rules).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ProductRequest(String slug, String name, String displayName, String description, long priceCredits,
        ProductAdminView.Invocation invocation, List<ActionRequest> actions, List<String> requiredCredentials,
        Map<String, Object> extra) {

    /** One action of a vendor product: its name, what it does, and the JSON Schema of its parameters. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ActionRequest(String name, String description, JsonNode parametersSchema) {
    }
}
