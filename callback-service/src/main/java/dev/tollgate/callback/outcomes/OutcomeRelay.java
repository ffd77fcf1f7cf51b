package dev.tollgate.callback.outcomes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tollgate.callback.config.CallbackConfig;
import dev.tollgate.callback.delivery.DeliveryRepository;
import dev.tollgate.callback.delivery.PendingOutcome;
import dev.tollgate.platform.messaging.EventRelay;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Publishes the outcomes waiting in deliveries' {@code pendingOutcomes} and removes them once Kafka acknowledged
 * them, on the platform's {@link EventRelay}: an attempt hands its outcome over as it recorded it ({@link #relay}),
 * so nothing is read back; the relay thread sends whatever has gathered (up to 500 deliveries) and removes what it
 * published over {@code outbox-removal-delay} (200 ms) in one bulk write. The sweep finishes what a crash (or a failed
 * send) left, found by the {@link DeliveryRepository#RELAY_PENDING} mark. At least once; workflow-service's fold is
 * idempotent (stable event ids).
 */
@ApplicationScoped
public class OutcomeRelay {

    /** Deliveries whose outcomes are published and removed per round trip at most. */
    private static final int RELAY_BATCH = 500;
    /** Hand-overs waiting at most (Kafka down): beyond that they are left to the sweep, which finds them all. */
    private static final int HANDED_OVER_LIMIT = 20_000;

    /** An outcome recorded in its delivery's {@code pendingOutcomes}, waiting to be published. */
    public record Waiting(String runId, PendingOutcome outcome) {
    }

    private final EventRelay<String, PendingOutcome> relay;

    @Inject
    OutcomeRelay(DeliveryOutbox outbox, CallbackConfig config, MeterRegistry metrics) {
        relay = new EventRelay<>(outbox, EventRelay.Settings.of("callback-outcome-relay", RELAY_BATCH,
                config.outboxRemovalDelay(), "tollgate.callbacks.outcome.published",
                "tollgate.callbacks.outcome.removal.writes").withHandOverBound(HANDED_OVER_LIMIT), metrics);
    }

    void start(@Observes StartupEvent start) {
        relay.start();
    }

    void stop(@Observes ShutdownEvent stop) {
        relay.stop();
    }

    /** Takes an attempt's recorded outcome for publishing; returns at once. What a crash loses here, the sweep finds. */
    public void relay(String runId, PendingOutcome outcome) {
        relay.handOver(runId, List.of(outcome));
    }

    /**
     * Sends every outcome, waits until Kafka acknowledged them, then removes those of every delivery whose outcomes
     * were all acknowledged (one bulk write). Throws if a send failed; that delivery keeps its outcomes for the sweep.
     */
    public void publishAndRemove(List<Waiting> waiting) {
        if (!waiting.isEmpty()) {
            Map<String, List<PendingOutcome>> byRun = byRun(waiting);
            allPublished(byRun, relay.publishAndRemove(byRun, false));
        }
    }

    /**
     * Publishes outcomes not stored anywhere yet (a new delivery's first attempt, stored after this with nothing left
     * to publish): sends them all and waits until Kafka acknowledged them. Throws if one failed; the caller then
     * stores them as pending, for the relay.
     */
    public void publishBeforeStoring(List<Waiting> outcomes) {
        if (!outcomes.isEmpty()) {
            Map<String, List<PendingOutcome>> byRun = byRun(outcomes);
            allPublished(byRun, relay.publish(byRun, false));
        }
    }

    /** Publishes what a crash (or a failed send) left waiting; normally finds nothing. */
    @Scheduled(every = "${tollgate.callbacks.outbox-sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void sweep() {
        relay.sweep();
    }

    private static Map<String, List<PendingOutcome>> byRun(List<Waiting> waiting) {
        Map<String, List<PendingOutcome>> byRun = new LinkedHashMap<>();
        waiting.forEach(w -> byRun.computeIfAbsent(w.runId(), k -> new ArrayList<>()).add(w.outcome()));
        return byRun;
    }

    private static void allPublished(Map<String, List<PendingOutcome>> sent, Map<String, List<PendingOutcome>> acked) {
        if (acked.size() < sent.size()) {
            throw new IllegalStateException("publishing to Kafka failed for " + (sent.size() - acked.size())
                    + " of " + sent.size() + " deliveries' outcomes");
        }
    }
}
