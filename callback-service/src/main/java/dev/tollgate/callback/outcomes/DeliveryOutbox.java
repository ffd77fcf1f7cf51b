package dev.tollgate.callback.outcomes;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.tollgate.callback.delivery.DeliveryRepository;
import dev.tollgate.callback.delivery.PendingOutcome;
import dev.tollgate.platform.messaging.KafkaSends;
import dev.tollgate.platform.messaging.OutboxStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The outbox of deliveries, for the relay: outcomes wait in their delivery's {@code pendingOutcomes}, marked
 * {@link DeliveryRepository#RELAY_PENDING}, and go to {@value OutcomeEvents#TOPIC} keyed by run id.
 */
@ApplicationScoped
class DeliveryOutbox implements OutboxStore<String, PendingOutcome> {

    private final DeliveryRepository deliveries;

    // Emitters are injected into fields: that is where their @OnOverflow buffer is known to apply.
    @Inject
    @Channel("delivery-outcomes")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    Emitter<String> outcomes;

    @Inject
    DeliveryOutbox(DeliveryRepository deliveries) {
        this.deliveries = deliveries;
    }

    /**
     * Never marked republished: workflow-service's fold of outcomes is idempotent by event id and reads no header, so
     * an outcome goes out the same whether a hand-over or a sweep publishes it.
     */
    @Override
    public CompletableFuture<Void> send(String runId, PendingOutcome outcome, boolean republished) {
        return KafkaSends.send(outcomes, runId, outcome.payload);
    }

    @Override
    public int removePublished(Map<String, List<PendingOutcome>> published) {
        return deliveries.removeRelayed(published);
    }

    @Override
    public Map<String, List<PendingOutcome>> waitingForSweep(int limit) {
        return deliveries.withUnrelayedOutcomes(limit);
    }

    @Override
    public Object eventId(PendingOutcome outcome) {
        return outcome.id;
    }
}
