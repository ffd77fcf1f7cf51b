package dev.tollgate.callback.outcomes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

import dev.tollgate.callback.delivery.DeliveryRepository;
import dev.tollgate.callback.delivery.PendingOutcome;
import dev.tollgate.http.KafkaSends;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes the outcomes waiting in deliveries' {@code pendingOutcomes} and removes them once Kafka acknowledged
 * them. An attempt hands its outcome over as it recorded it ({@link #relay}), so nothing is read back; one relay
 * thread takes whatever has gathered, sends it all, awaits the acknowledgements, and removes it all in one bulk
 * write. A sweep finishes what a crash (or a failed send) left, found by the {@link DeliveryRepository#RELAY_PENDING}
 * mark, also in batches. At least once; workflow-service's fold is idempotent (stable event ids).
 */
@ApplicationScoped
public class OutcomeRelay {

    private static final Logger LOG = Logger.getLogger(OutcomeRelay.class);
    private static final int SWEEP_BATCH = 1000;
    /** Outcomes published and removed per round trip at most. */
    private static final int RELAY_BATCH = 500;
    private static final int HANDED_OVER_LIMIT = 20_000;

    /** An outcome recorded in its delivery's {@code pendingOutcomes}, waiting to be published. */
    public record Waiting(String runId, PendingOutcome outcome) {
    }

    @Inject
    DeliveryRepository deliveries;

    @Inject
    @Channel("delivery-outcomes")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    Emitter<String> outcomes;

    private final LinkedBlockingQueue<Waiting> handedOver = new LinkedBlockingQueue<>();
    /** Outcome ids handed over and not yet removed: the sweep leaves them to the relay thread. */
    private final Set<String> inHand = ConcurrentHashMap.newKeySet();
    private volatile Thread relayThread;

    void start(@Observes StartupEvent start) {
        relayThread = Thread.ofPlatform().name("callback-outcome-relay").daemon().start(this::relayHandedOver);
    }

    void stop(@Observes ShutdownEvent stop) {
        Thread thread = relayThread;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /**
     * Takes an attempt's recorded outcome for publishing; returns at once. What a crash loses here, the sweep finds;
     * so does it what arrives while {@value #HANDED_OVER_LIMIT} wait already (Kafka down: memory stays bounded).
     */
    public void relay(String runId, PendingOutcome outcome) {
        if (handedOver.size() >= HANDED_OVER_LIMIT) {
            return;
        }
        inHand.add(outcome.id);
        handedOver.add(new Waiting(runId, outcome));
    }

    private void relayHandedOver() {
        List<Waiting> batch = new ArrayList<>(RELAY_BATCH);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(handedOver.take());
            } catch (InterruptedException e) {
                return;
            }
            handedOver.drainTo(batch, RELAY_BATCH - 1);
            try {
                publishAndRemove(batch);
            } catch (RuntimeException e) {
                // Still recorded and marked in their deliveries: the sweep publishes them.
                LOG.warnf("publishing %d outcomes failed, the sweep will retry: %s", batch.size(), e.toString());
            } finally {
                batch.forEach(w -> inHand.remove(w.outcome().id));
                batch.clear();
            }
        }
    }

    /**
     * Sends every outcome, waits until Kafka acknowledged them all, then removes exactly those from their deliveries
     * (one bulk write). Throws if a send failed; nothing is removed then.
     */
    public void publishAndRemove(List<Waiting> waiting) {
        if (waiting.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>(waiting.size());
        Map<String, List<PendingOutcome>> published = new LinkedHashMap<>();
        for (Waiting w : waiting) {
            acks.add(KafkaSends.send(outcomes, w.runId(), w.outcome().payload));
            published.computeIfAbsent(w.runId(), k -> new ArrayList<>()).add(w.outcome());
        }
        KafkaSends.awaitAll(acks);
        deliveries.removeRelayed(published);
    }

    /** Publishes what a crash (or a failed send) left waiting; normally finds nothing. */
    @Scheduled(every = "${tollgate.callbacks.outbox-sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void sweep() {
        try {
            Map<String, List<PendingOutcome>> found = deliveries.withUnrelayedOutcomes(SWEEP_BATCH);
            List<Waiting> waiting = new ArrayList<>();
            Map<String, List<PendingOutcome>> drainedMarks = new LinkedHashMap<>();
            found.forEach((runId, pending) -> {
                List<PendingOutcome> notInHand = pending.stream().filter(o -> !inHand.contains(o.id)).toList();
                notInHand.forEach(o -> waiting.add(new Waiting(runId, o)));
                if (pending.isEmpty()) {
                    drainedMarks.put(runId, List.of());
                }
            });
            publishAndRemove(waiting);
            deliveries.removeRelayed(drainedMarks);
        } catch (RuntimeException e) {
            LOG.warnf("the outcome sweep failed, will retry: %s", e.toString());
        }
    }
}
