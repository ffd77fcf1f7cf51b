package dev.tollgate.callback.delivery;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.platform.messaging.CloudEvent;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes each attempt's {@link OutcomeEvent} for {@code callback.delivery.outcome} (keyed by run id), as the
 * {@link PendingOutcome} stored with the attempt until the relay has published it.
 */
@ApplicationScoped
public class OutcomeEvents {

    public static final String TOPIC = "callback.delivery.outcome";

    private final ObjectMapper json;

    public OutcomeEvents(ObjectMapper json) {
        this.json = json;
    }

    public PendingOutcome attempted(Delivery delivery, AttemptRecord attempt) {
        CloudEvent<OutcomeEvent.Data> event = OutcomeEvent.of(delivery, attempt, Instant.now());
        try {
            return new PendingOutcome(event.id(), json.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
