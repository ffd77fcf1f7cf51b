package dev.tollgate.catalog.purchases;

import java.io.IOException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A purchase that happened: the tool's answer as {@code data}, the order and what it costs. {@code settlement} is
 * {@code "pending"} while the charge waits for the ledger (the recovery sweep makes it, once) and absent once made.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PurchaseAnswer(boolean success, JsonNode data, String orderId, String instanceId, long chargedCredits,
        @JsonInclude(JsonInclude.Include.NON_NULL) String settlement) {

    public static PurchaseAnswer of(Order order, ObjectMapper mapper) {
        return new PurchaseAnswer(true, resultOf(order, mapper), order.id, order.instanceId, order.priceCredits,
                settlementOf(order));
    }

    /** The same answer for a workflow step's purchase, which has no connection instance to report. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ForStep(boolean success, JsonNode data, String orderId, long chargedCredits,
            @JsonInclude(JsonInclude.Include.NON_NULL) String settlement) {

        public static ForStep of(Order order, ObjectMapper mapper) {
            return new ForStep(true, resultOf(order, mapper), order.id, order.priceCredits, settlementOf(order));
        }
    }

    private static String settlementOf(Order order) {
        return OrderState.HELD.equals(order.state) ? "pending" : null;
    }

    private static JsonNode resultOf(Order order, ObjectMapper mapper) {
        try {
            return mapper.readTree(order.resultJson);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
