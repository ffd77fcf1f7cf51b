package dev.tollgate.callback.outcomes;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.callback.delivery.AttemptRecord;
import dev.tollgate.callback.delivery.Delivery;
import dev.tollgate.callback.delivery.PendingOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code callback.attempt} events for {@code callback.delivery.outcome}, CloudEvents-shaped and keyed by run id. The
 * id ({@code <webhook id>:<attempt number>}) is stable, so a republished outcome is recognised as the same one;
 * workflow-service folds {@code data} into the run's {@code callback_*} fields.
 */
@ApplicationScoped
public class OutcomeEvents {

    public static final String TOPIC = "callback.delivery.outcome";

    @Inject
    ObjectMapper json;

    public PendingOutcome attempted(Delivery delivery, AttemptRecord attempt) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("run_id", delivery.runId);
        data.put("delivery_id", delivery.webhookId);
        data.put("attempt", attempt.number);
        data.put("status", attempt.result.wire());
        data.put("http_status", attempt.httpStatus);
        data.put("error", attempt.error);
        data.put("attempted_at", attempt.attemptedAt.toString());
        data.put("delivered_at", attempt.result.wire().equals("delivered") ? attempt.attemptedAt.toString() : null);
        data.put("duration_ms", attempt.durationMs);
        data.put("next_attempt_at", attempt.nextAttemptAt == null ? null : attempt.nextAttemptAt.toString());
        String id = delivery.webhookId + ":" + attempt.number;
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", "tollgate/callback-service");
        event.put("type", "callback.attempt");
        event.put("subject", delivery.runId);
        event.put("time", Instant.now().toString());
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        try {
            return new PendingOutcome(id, json.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
