package dev.tollgate.catalog.purchases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.web.RequestFields;

/**
 * The body of a workflow worker's purchase ({@code POST /internal/purchases}): whose and on which budget, what, the
 * idempotency key the worker derives from run and step, the instance, and the call's {@code parameters}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StepPurchaseRequest(String userId, String budgetId, String productId, String idempotencyKey,
        String instanceId, JsonNode parameters) {

    public static StepPurchaseRequest from(JsonNode body) {
        RequestFields f = RequestFields.ofBody(body);
        String userId = f.requiredString("user_id", 128);
        String budgetId = f.requiredString("budget_id", 64);
        String productId = f.requiredString("product_id", 200);
        String key = f.requiredString("idempotency_key", 200);
        String instanceId = f.optionalString("instance_id", 80);
        JsonNode parameters = f.node("parameters", true);
        f.done();
        return new StepPurchaseRequest(userId, budgetId, productId, key, instanceId, parameters);
    }
}
