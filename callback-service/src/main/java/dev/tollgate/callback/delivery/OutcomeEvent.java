package dev.tollgate.callback.delivery;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A {@code callback.attempt} event of {@code callback.delivery.outcome}: CloudEvents attributes around one attempt's
 * outcome. The id ({@code <webhook id>:<attempt number>}) is stable, so a republished outcome is recognised as the
 * same one; workflow-service folds {@code data} into the run's {@code callback_*} fields. Every field is written,
 * null or not.
 */
@JsonPropertyOrder({ "specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data" })
public record OutcomeEvent(String specversion, String id, String source, String type, String subject, String time,
        String datacontenttype, Data data) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Data(String runId, String deliveryId, int attempt, String status, Integer httpStatus, String error,
            String attemptedAt, String deliveredAt, long durationMs, String nextAttemptAt) {
    }

    public static OutcomeEvent of(Delivery delivery, AttemptRecord attempt, Instant now) {
        String status = attempt.result.wire();
        String attemptedAt = attempt.attemptedAt.toString();
        return new OutcomeEvent("1.0", delivery.webhookId + ":" + attempt.number, "tollgate/callback-service",
                "callback.attempt", delivery.runId, now.toString(), "application/json",
                new Data(delivery.runId, delivery.webhookId, attempt.number, status, attempt.httpStatus, attempt.error,
                        attemptedAt, status.equals("delivered") ? attemptedAt : null, attempt.durationMs,
                        attempt.nextAttemptAt == null ? null : attempt.nextAttemptAt.toString()));
    }
}
