package dev.tollgate.catalog.purchases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.web.RequestFields;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /products/purchase}: which product, and the {@code parameters} of the call (its
 * {@code action} and that action's arguments, checked later against the action's JSON Schema, so kept as JSON here).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PurchaseRequest(String productId, @Schema(implementation = Call.class) JsonNode parameters) {

    /** What the document shows of {@code parameters}: the action, beside that action's own arguments. */
    @Schema(additionalProperties = Schema.True.class)
    public record Call(String action) {
    }

    public static PurchaseRequest from(JsonNode body) {
        RequestFields f = RequestFields.ofBody(body);
        String productId = f.requiredString("product_id", 200);
        JsonNode parameters = f.node("parameters", true);
        f.done();
        return new PurchaseRequest(productId, parameters);
    }
}
