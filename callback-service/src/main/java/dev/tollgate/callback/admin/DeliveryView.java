package dev.tollgate.callback.admin;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.callback.delivery.AttemptRecord;
import dev.tollgate.callback.delivery.Delivery;

/** A delivery as the admin API shows it (snake_case, like the rest of the public API). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeliveryView(String deliveryId, String runId, String userId, String url, String eventType, String status,
        int attemptsMade, String nextAttemptAt, String createdAt, String deliveredAt, List<AttemptView> attempts) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AttemptView(int attempt, String attemptedAt, long durationMs, Integer httpStatus, String error,
            String result, String nextAttemptAt) {

        static AttemptView of(AttemptRecord a) {
            return new AttemptView(a.number, text(a.attemptedAt), a.durationMs, a.httpStatus, a.error,
                    a.result.wire(), text(a.nextAttemptAt));
        }
    }

    public static DeliveryView of(Delivery d, boolean withAttempts) {
        return new DeliveryView(d.webhookId, d.runId, d.userId, d.url, d.eventType, d.status.wire(), d.attemptsMade,
                text(d.nextAttemptAt), text(d.createdAt), text(d.deliveredAt),
                withAttempts ? d.attempts.stream().map(AttemptView::of).toList() : null);
    }

    private static String text(Object instant) {
        return instant == null ? null : instant.toString();
    }
}
