package dev.tollgate.workflow.callbacks;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One callback delivery attempt's outcome, as callback-service publishes it on {@code callback.delivery.outcome}:
 * {@code data.run_id}, {@code data.status} (the delivery's status after the attempt: pending, delivered or
 * failed), {@code data.http_status}, {@code data.error}, {@code data.attempted_at}, {@code data.delivered_at}.
 */
public record CallbackOutcome(String runId, String status, Integer httpStatus, String error, Instant attemptedAt,
        Instant deliveredAt) {

    public static CallbackOutcome from(JsonNode event) {
        JsonNode d = event.path("data");
        return new CallbackOutcome(d.path("run_id").asText(null), d.path("status").asText(null),
                d.hasNonNull("http_status") ? d.get("http_status").asInt() : null,
                d.hasNonNull("error") ? d.get("error").asText() : null,
                d.hasNonNull("attempted_at") ? Instant.parse(d.get("attempted_at").asText()) : null,
                d.hasNonNull("delivered_at") ? Instant.parse(d.get("delivered_at").asText()) : null);
    }

    public boolean isValid() {
        return runId != null && attemptedAt != null
                && ("pending".equals(status) || "delivered".equals(status) || "failed".equals(status));
    }
}
