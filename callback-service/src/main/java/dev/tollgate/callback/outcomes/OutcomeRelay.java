package dev.tollgate.callback.outcomes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.tollgate.callback.config.CallbackConfig;
import dev.tollgate.callback.delivery.DeliveryRepository;
import dev.tollgate.callback.delivery.PendingOutcome;
import dev.tollgate.platform.messaging.KafkaSends;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * thread takes whatever has gathered, sends it all and awaits the acknowledgements; what it published over
 * {@code outbox-removal-delay} (200 ms) is then removed in one bulk write, so the removal is not a write per attempt.
 * A sweep finishes what a crash (or a failed send) left, found by the {@link DeliveryRepository#RELAY_PENDING} mark,
 * also in batches: it relays an outcome only when the sweep before found it waiting too, so it does not publish
 * again what another replica's relay is about to remove. At least once; workflow-service's fold is idempotent (stable
 * event ids).
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
    CallbackConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    @Channel("delivery-outcomes")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    Emitter<String> outcomes;

    private final LinkedBlockingQueue<Waiting> handedOver = new LinkedBlockingQueue<>();
    /** Outcome ids handed over and not yet removed: the sweep leaves them to the relay thread. */
    private final Set<String> inHand = ConcurrentHashMap.newKeySet();
    private volatile Thread relayThread;
    /** Outcome ids the last sweep found waiting and left alone: the next sweep relays those still waiting. */
    private Set<String> waitingAtLastSweep = Set.of();
    /** Bulk writes issued to remove published outcomes (many deliveries' removals share one). */
    private Counter removalWrites;
    /** Outcomes Kafka acknowledged. */
    private Counter publishedOutcomes;

    void start(@Observes StartupEvent start) {
        removalWrites = metrics.counter("tollgate.callbacks.outcome.removal.writes");
        publishedOutcomes = metrics.counter("tollgate.callbacks.outcome.published");
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
        long removalDelay = config.outboxRemovalDelay().toNanos();
        List<Waiting> batch = new ArrayList<>(RELAY_BATCH);
        // Published and not yet removed, by delivery; removed together once the oldest has waited removalDelay.
        Map<String, List<PendingOutcome>> published = new LinkedHashMap<>();
        long removeAt = 0;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Waiting first = published.isEmpty() ? handedOver.take()
                        : handedOver.poll(Math.max(0, removeAt - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (first != null) {
                    batch.add(first);
                    handedOver.drainTo(batch, RELAY_BATCH - 1);
                }
            } catch (InterruptedException e) {
                break;
            }
            if (!batch.isEmpty()) {
                try {
                    Map<String, List<PendingOutcome>> sent = publish(batch);
                    if (published.isEmpty()) {
                        removeAt = System.nanoTime() + removalDelay;
                    }
                    sent.forEach((runId, list) -> published.computeIfAbsent(runId, k -> new ArrayList<>()).addAll(list));
                } catch (RuntimeException e) {
                    // Still recorded and marked in their deliveries: the sweep publishes them.
                    LOG.warnf("publishing %d outcomes failed, the sweep will retry: %s", batch.size(), e.toString());
                    batch.forEach(w -> inHand.remove(w.outcome().id));
                } finally {
                    batch.clear();
                }
            }
            if (!published.isEmpty() && (removeAt - System.nanoTime() <= 0 || published.size() >= RELAY_BATCH)) {
                removeGathered(published);
            }
        }
        // Stopping: removed now if the store still answers; else the sweep of the next start publishes them again.
        removeGathered(published);
    }

    private void removeGathered(Map<String, List<PendingOutcome>> published) {
        if (published.isEmpty()) {
            return;
        }
        try {
            remove(published);
        } catch (RuntimeException e) {
            LOG.warnf("removing %d deliveries' published outcomes failed; the sweep publishes them again: %s",
                    published.size(), e.toString());
        } finally {
            published.values().forEach(list -> list.forEach(o -> inHand.remove(o.id)));
            published.clear();
        }
    }

    /**
     * Sends every outcome, waits until Kafka acknowledged them all, then removes exactly those from their deliveries
     * (one bulk write). Throws if a send failed; nothing is removed then.
     */
    public void publishAndRemove(List<Waiting> waiting) {
        if (!waiting.isEmpty()) {
            remove(publish(waiting));
        }
    }

    /**
     * Publishes outcomes not stored anywhere yet (a new delivery's first attempt, stored after this with nothing left
     * to publish): sends them all and waits until Kafka acknowledged them. Throws if one failed; the caller then
     * stores them as pending, for the relay.
     */
    public void publishBeforeStoring(List<Waiting> outcomes) {
        if (!outcomes.isEmpty()) {
            publish(outcomes);
        }
    }

    /** Sends every outcome and waits until Kafka acknowledged them all: the outcomes, by delivery. Throws if one failed. */
    private Map<String, List<PendingOutcome>> publish(List<Waiting> waiting) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(waiting.size());
        Map<String, List<PendingOutcome>> published = new LinkedHashMap<>();
        for (Waiting w : waiting) {
            acks.add(KafkaSends.send(outcomes, w.runId(), w.outcome().payload));
            published.computeIfAbsent(w.runId(), k -> new ArrayList<>()).add(w.outcome());
        }
        KafkaSends.awaitAll(acks);
        publishedOutcomes.increment(waiting.size());
        return published;
    }

    private void remove(Map<String, List<PendingOutcome>> published) {
        removalWrites.increment();
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
            Set<String> seenBefore = waitingAtLastSweep;
            Set<String> seenNow = new HashSet<>();
            found.forEach((runId, pending) -> {
                for (PendingOutcome o : pending) {
                    if (inHand.contains(o.id)) {
                        continue; // the relay thread has it, and removes it once published
                    }
                    if (seenBefore.contains(o.id)) {
                        waiting.add(new Waiting(runId, o));
                    } else {
                        seenNow.add(o.id); // maybe another replica's, published and about to be removed
                    }
                }
                if (pending.isEmpty()) {
                    drainedMarks.put(runId, List.of());
                }
            });
            waitingAtLastSweep = seenNow;
            publishAndRemove(waiting);
            deliveries.removeRelayed(drainedMarks);
        } catch (RuntimeException e) {
            LOG.warnf("the outcome sweep failed, will retry: %s", e.toString());
        }
    }
}
