package dev.tollgate.workflow.outbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.tollgate.platform.messaging.EventRelay;
import dev.tollgate.workflow.config.WorkflowConfig;
import dev.tollgate.workflow.roles.ServiceRole;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.bson.BsonDocument;
import org.bson.types.ObjectId;

/**
 * Publishes the events waiting in runs' {@code pendingEvents} and removes them once Kafka acknowledged them, on the
 * platform's {@link EventRelay} over the runs' outbox ({@link RunOutbox}). The writer of a state change hands over
 * the events it just wrote ({@link #publish}), so nothing reads the run back; published events are removed
 * {@code removal-delay} (200 ms) later, those of every run published meanwhile in one bulk write. What is the
 * workflow's own: a worker's {@code run.started} waits for the run's end (at most {@code hold-started}), so that it and
 * {@code run.completed}, a few milliseconds apart, go to Kafka in one round and leave the run in one update instead of
 * two each (nothing waits for run.started: a callback waits for the end, and the run's status is RUNNING in the store
 * from the claim). And a new run's first {@code run.requested} is left in the run for the claim to replace
 * ({@link #publishRequest}), so removing it costs no write at all; the sweep never finds those (unflagged), so the
 * ones that failed to publish, or that a crashed api left, are published again from here. Every process with a relay
 * sweeps, so a run's left-over events are claimed for one sweeper first ({@link RunOutbox#claimForSweep}). At least
 * once; consumers deduplicate by event id.
 */
@ApplicationScoped
public class OutboxRelay {

    /** Runs relayed per round at most: bounds one bulk write and one wait for acks. */
    static final int MAX_ROUND = 500;

    /** Runs whose run.started is held at most; beyond that the oldest are published alone (memory stays bounded). */
    static final int MAX_HELD = 10_000;

    private final RunOutbox outbox;
    private final ServiceRole role;
    private final EventRelay<ObjectId, BsonDocument> relay;
    /**
     * Runs whose first request failed to publish. They are not flagged for the sweep (OutboxWrites), so the sweep
     * retries them from here; should this process die first, its successor's first sweep publishes them.
     */
    private final Set<ObjectId> unpublishedRequests = ConcurrentHashMap.newKeySet();
    /** Whether this process's first sweep has published the first requests a predecessor may have left unpublished. */
    private volatile boolean requestsResumed;

    @Inject
    OutboxRelay(RunOutbox outbox, WorkflowConfig config, MeterRegistry metrics, ServiceRole role) {
        this.outbox = outbox;
        this.role = role;
        relay = new EventRelay<>(outbox, EventRelay.Settings.of("workflow-outbox-relay", MAX_ROUND,
                config.outbox().removalDelay(), "tollgate.outbox.published.events", "tollgate.outbox.removal.writes")
                .withLinger(config.outbox().linger())
                .withHoldUntilNext(config.outbox().holdStarted(), MAX_HELD), metrics);
    }

    @PostConstruct
    void start() {
        relay.start();
    }

    void stop(@Observes ShutdownEvent event) {
        relay.stop();
    }

    /**
     * Publishes {@code events}, which the caller has just appended to the run's outbox in the write that changed its
     * state, without reading the run again. Returns at once; the next round relays them.
     */
    public void publish(ObjectId runId, List<PendingEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<BsonDocument> stored = outbox.asStored(events);
        if (isOnlyRunStarted(stored)) {
            relay.handOverUntilNext(runId, stored); // its run's end usually follows within milliseconds
        } else {
            relay.handOver(runId, stored);
        }
    }

    private static boolean isOnlyRunStarted(List<BsonDocument> events) {
        return events.size() == 1 && events.getFirst().isString("_id")
                && events.getFirst().getString("_id").getValue().contains(":run.started:");
    }

    /**
     * Publishes a new run's first {@code run.requested}, which the caller has just inserted with the run, unflagged,
     * and leaves it there: the claim that answers it replaces it in the same write that claims the run. {@code request}
     * is the event as published ({@code RunEvents.FirstRequest#published()}), not as stored: it carries the run, which
     * its stored copy leaves out, so it must never be removed from the run by equality (only the claim's or
     * cancellation's {@code $set} replaces it).
     */
    public void publishRequest(ObjectId runId, PendingEvent request) {
        relay.handOverKept(runId, outbox.asStored(List.of(request)));
    }

    /** Whether events of the run are in this relay's hands (handed over, not yet published or removed). */
    public boolean relaying(ObjectId runId) {
        return relay.relaying(runId);
    }

    @Scheduled(every = "${tollgate.workflow.outbox.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        resumeRequests();
        relay.sweep();
    }

    /**
     * Publishes the first requests that are waiting unpublished: those this relay failed to publish and, at the first
     * sweep of an api process, every queued run's (a predecessor may have died between insert and publish; a request
     * published twice is claimed once). Left in the run, as {@link #publishRequest} leaves them.
     */
    private void resumeRequests() {
        unpublishedRequests.addAll(relay.takeUnpublishedKept());
        Map<ObjectId, List<BsonDocument>> round = new LinkedHashMap<>();
        boolean firstOfApi = !requestsResumed && !role.isWorker();
        requestsResumed = true;
        if (firstOfApi) {
            outbox.forEachFirstRequestWaiting((id, events) -> addToRound(round, id, events));
        } else if (!unpublishedRequests.isEmpty()) {
            List<ObjectId> retry = new ArrayList<>(unpublishedRequests);
            unpublishedRequests.removeAll(retry);
            outbox.forEachFirstRequestWaiting(retry, (id, events) -> addToRound(round, id, events));
        }
        publishRequestsLeft(round);
    }

    private void addToRound(Map<ObjectId, List<BsonDocument>> round, ObjectId runId, List<BsonDocument> events) {
        if (!relay.relaying(runId)) {
            round.put(runId, events);
        }
        if (round.size() == MAX_ROUND) {
            publishRequestsLeft(round);
        }
    }

    private void publishRequestsLeft(Map<ObjectId, List<BsonDocument>> round) {
        if (round.isEmpty()) {
            return;
        }
        Map<ObjectId, List<BsonDocument>> published = relay.publish(round, true);
        round.keySet().stream().filter(id -> !published.containsKey(id)).forEach(unpublishedRequests::add);
        round.clear();
    }

    /** Reads the run's events and relays them now (tests, and anything that must not wait for a round). */
    public void flush(ObjectId runId) {
        BsonDocument run = outbox.outboxOf(runId);
        if (run == null) {
            return;
        }
        List<BsonDocument> pending = RunOutbox.storedEvents(run);
        if (pending.isEmpty()) {
            if (run.containsKey(OutboxWrites.PENDING)) {
                outbox.clearFlagIfDrained(runId);
            }
            return;
        }
        relay.publishAndRemove(Map.of(runId, pending), true);
    }
}
