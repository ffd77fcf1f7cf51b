package dev.tollgate.workflow.callbacks;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One callback delivery attempt's outcome, as callback-service publishes it on {@code callback.delivery.outcome}
 * ({@code data} of the event, {@link OutcomeEvent}): {@code run_id}, {@code status} (the delivery's status after the
 * attempt: pending, delivered or failed), {@code http_status}, {@code error}, {@code attempted_at},
 * {@code delivered_at}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CallbackOutcome(String runId, String status, Integer httpStatus, String error, Instant attemptedAt,
        Instant deliveredAt) {

    /** The event around an outcome, of which only {@code data} is read. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record OutcomeEvent(CallbackOutcome data) {
    }

    public boolean isValid() {
        return runId != null && attemptedAt != null
                && ("pending".equals(status) || "delivered".equals(status) || "failed".equals(status));
    }
}
