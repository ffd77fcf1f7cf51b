package dev.tollgate.workflow.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What {@code POST /internal/purchases} takes: a tool step's purchase on behalf of the run's owner and budget, with
 * its rendered {@code parameters} (the tool's own JSON, {@code action} included) and the order key derived from run
 * and step, under which a retried step finds its first order instead of paying again.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StepPurchase(String userId, String budgetId, String productId, JsonNode parameters,
        String idempotencyKey) {
}
