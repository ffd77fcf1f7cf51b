package dev.tollgate.callback.delivery;

import java.time.Instant;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.messaging.CloudEvent;

/**
 * A {@code callback.attempt} event of {@code callback.delivery.outcome}: the platform's {@link CloudEvent} around one
 * attempt's outcome. The id ({@code <webhook id>:<attempt number>}) is stable, so a republished outcome is recognised as the
 * same one; workflow-service folds {@code data} into the run's {@code callback_*} fields. Every field is written,
 * null or not.
 */
public final class OutcomeEvent {

    private OutcomeEvent() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Data(String runId, String deliveryId, int attempt, String status, Integer httpStatus, String error,
            String attemptedAt, String deliveredAt, long durationMs, String nextAttemptAt) {
    }

    public static CloudEvent<Data> of(Delivery delivery, AttemptRecord attempt, Instant now) {
        String status = attempt.result.wire();
        String attemptedAt = attempt.attemptedAt.toString();
        return CloudEvent.of(delivery.webhookId + ":" + attempt.number, "tollgate/callback-service",
                "callback.attempt", delivery.runId, now.toString(), new Data(delivery.runId, delivery.webhookId, attempt.number, status, attempt.httpStatus, attempt.error,
                        attemptedAt, status.equals("delivered") ? attemptedAt : null, attempt.durationMs,
                        attempt.nextAttemptAt == null ? null : attempt.nextAttemptAt.toString()));
    }
}
