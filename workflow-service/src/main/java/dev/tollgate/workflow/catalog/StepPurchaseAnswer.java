package dev.tollgate.workflow.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The body of catalog-service's answer to a {@link StepPurchase}, whatever its status: on 200 the tool's answer
 * ({@code data}) and what it charged; otherwise the error family's {@code error} code and {@code detail} (a message, or
 * the list of a 422), or a {@code message}. Which fields mean something is decided by the status, code by code
 * (workflow-service's {@code PurchaseAnswers}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StepPurchaseAnswer(JsonNode data, long chargedCredits, String settlement, String error,
        JsonNode detail, String message) {

    /** An answer without a body. */
    static final StepPurchaseAnswer EMPTY = new StepPurchaseAnswer(null, 0, null, null, null, null);

    /** Stands for the body when catalog gave no answer at all. */
    static final StepPurchaseAnswer UNAVAILABLE = new StepPurchaseAnswer(null, 0, null, "catalog_unavailable", null,
            null);

    /** The error code, or "" without one. */
    public String code() {
        return error == null ? "" : error;
    }

    /** What the refusal says: its {@code detail} when that is a text, else its {@code message}, else "". */
    public String explanation() {
        if (detail != null && !detail.isNull()) {
            return detail.asText();
        }
        return message == null ? "" : message;
    }

    /** The tool's answer as the step's output text: its JSON ("" without one). */
    public String output() {
        return data == null ? "" : data.toString();
    }
}
