package dev.tollgate.workflow.outbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import dev.tollgate.platform.messaging.KafkaSends;
import dev.tollgate.workflow.config.WorkflowConfig;
import dev.tollgate.workflow.roles.ServiceRole;
import dev.tollgate.workflow.runs.RunStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.bson.BsonDocument;
import org.bson.BsonDocumentWriter;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.EncoderContext;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes the events waiting in runs' {@code pendingEvents} and removes them once Kafka acknowledged them. The
 * writer of a state change hands over the events it just wrote ({@link #publish}), so nothing reads the run back;
 * one relay thread takes everything handed over since its last round, sends it all and awaits the acks (nothing on
 * the trigger → callback path waits for a timer), then removes what was published from every run of the round with
 * one bulk write. Except a worker's {@code run.started}: it waits for the run's end (at most {@code hold-started}),
 * so that it and {@code run.completed}, a few milliseconds apart, go to Kafka in one round and leave the run in one
 * update instead of two each (nothing waits for run.started: a callback waits for the end, and the run's status is
 * RUNNING in the store from the claim). And except a new run's first {@code run.requested}: it is left
 * in the run for the claim to replace ({@link #publishRequest}), so removing it costs no write at all. Published
 * events are not removed at once but gathered for {@code removal-delay} (200 ms), so that one bulk write removes those
 * of every run published meanwhile: nothing on the run's path waits for the removal, and a crash before it only means
 * the sweep publishes those events again, under the same ids. A sweep finishes what a crash left: it skips runs whose
 * events are in this relay's hands, and relays a run's events only when the sweep before found the same event
 * waiting, so it does not publish again what another process (the api, a second worker) is about to remove. At
 * least once; consumers deduplicate by event id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** Runs relayed per round at most: bounds one bulk write and one wait for acks. */
    static final int MAX_ROUND = 500;

    /** Runs whose run.started is deferred at most; beyond that the oldest are published alone (memory stays bounded). */
    static final int MAX_HELD = 10_000;

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    @Inject
    WorkflowConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    ServiceRole role;

    @Inject
    @Channel("run-requested")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    Emitter<String> requested;

    @Inject
    @Channel("run-lifecycle")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    Emitter<String> lifecycle;

    /**
     * Events just written by a state change, in the form the store holds them, waiting for the next round;
     * {@code leftInRun}: a first request, which stays in the run once published (the claim replaces it). A first
     * request is handed over as published, with the run it carries, which its stored copy leaves out: it must never
     * be removed from the run by equality (only the claim's or cancellation's {@code $set} replaces it).
     */
    record Written(ObjectId runId, List<BsonDocument> events, boolean leftInRun) {

        /** A worker's {@code run.started} alone (its run's end usually follows within milliseconds). */
        boolean isOnlyRunStarted() {
            return !leftInRun && events.size() == 1 && events.getFirst().isString("_id")
                    && events.getFirst().getString("_id").getValue().contains(":run.started:");
        }
    }

    private final BlockingQueue<Written> handedOver = new LinkedBlockingQueue<>();
    /**
     * Per run, how many hand-overs are in this relay's hands (queued, being sent, or published and waiting for
     * removal): the sweep leaves those runs alone rather than publish their events a second time.
     */
    private final Map<ObjectId, Integer> inHand = new ConcurrentHashMap<>();
    /**
     * Runs whose first request failed to publish. They are not flagged for the sweep (OutboxWrites), so the sweep
     * retries them from here; should this process die first, its successor's first sweep publishes them.
     */
    private final Set<ObjectId> unpublishedRequests = ConcurrentHashMap.newKeySet();
    /** Whether this process's first sweep has published the first requests a predecessor may have left unpublished. */
    private volatile boolean requestsResumed;
    private Codec<PendingEvent> eventCodec;
    private Thread relayThread;
    private volatile boolean running = true;
    private long linger;
    private long holdStarted;
    /** Updates issued to remove published events (one per run when nothing raced; a deferred run.started saves one). */
    private Counter removalUpdates;
    /** Events Kafka acknowledged (a deferred run.started and its run's end go in one round). */
    private Counter publishedEvents;
    /** Bulk writes issued to remove published events (many runs' removals share one, {@code removal-delay}). */
    private Counter removalWrites;
    private long removalDelay;
    /**
     * Per run the last sweep found waiting and did not relay, the id of its first event: the next sweep relays the
     * run only if that event is still there (a whole interval later, so no relay is about to remove it).
     */
    private Map<ObjectId, BsonValue> waitingAtLastSweep = Map.of();

    @PostConstruct
    void start() {
        eventCodec = runs().getCodecRegistry().get(PendingEvent.class);
        linger = config.outbox().linger().toNanos();
        holdStarted = config.outbox().holdStarted().toNanos();
        removalDelay = config.outbox().removalDelay().toNanos();
        removalUpdates = metrics.counter("tollgate.outbox.removal.updates");
        removalWrites = metrics.counter("tollgate.outbox.removal.writes");
        publishedEvents = metrics.counter("tollgate.outbox.published.events");
        relayThread = Thread.ofVirtual().name("workflow-outbox-relay").start(this::relayHandedOver);
    }

    /**
     * Publishes {@code events}, which the caller has just appended to the run's outbox in the write that changed its
     * state, without reading the run again. Returns at once; the next round relays them.
     */
    public void publish(ObjectId runId, List<PendingEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        inHand.merge(runId, 1, Integer::sum);
        handedOver.add(new Written(runId, asStored(events), false));
    }

    /**
     * Publishes a new run's first {@code run.requested}, which the caller has just inserted with the run, unflagged,
     * and leaves it there: the claim that answers it replaces it in the same write that claims the run. {@code request}
     * is the event as published ({@link RunEvents.FirstRequest#published()}), not as stored.
     */
    public void publishRequest(ObjectId runId, PendingEvent request) {
        inHand.merge(runId, 1, Integer::sum);
        handedOver.add(new Written(runId, asStored(List.of(request)), true));
    }

    /** Whether events of the run are in this relay's hands (handed over, not yet published or removed). */
    public boolean relaying(ObjectId runId) {
        return inHand.containsKey(runId);
    }

    /** The events as the store holds them: encoded with the codec the writers' updates use, so they compare equal. */
    List<BsonDocument> asStored(List<PendingEvent> events) {
        List<BsonDocument> stored = new ArrayList<>(events.size());
        for (PendingEvent event : events) {
            BsonDocument document = new BsonDocument();
            eventCodec.encode(new BsonDocumentWriter(document), event, EncoderContext.builder().build());
            stored.add(document);
        }
        return stored;
    }

    /** A worker's {@code run.started}, waiting to be published with its run's end, since {@code since}. */
    private record Deferred(Written started, long since) {
    }

    /**
     * Events published and not yet removed from their runs, gathered until {@code dueAt} so that one bulk write
     * removes them all; with the hand-overs of those runs, which stay in this relay's hands (the sweep leaves the runs
     * alone) until then.
     */
    private static final class PublishedEvents {
        final Map<ObjectId, List<BsonDocument>> byRun = new LinkedHashMap<>();
        final Map<ObjectId, Integer> handOvers = new HashMap<>();
        long dueAt;

        void add(ObjectId runId, List<BsonDocument> events, int runHandOvers, long due) {
            if (byRun.isEmpty()) {
                dueAt = due;
            }
            byRun.computeIfAbsent(runId, id -> new ArrayList<>()).addAll(events);
            handOvers.merge(runId, runHandOvers, Integer::sum);
        }

        boolean isEmpty() {
            return byRun.isEmpty();
        }
    }

    private void relayHandedOver() {
        List<Written> round = new ArrayList<>();
        // run.started events waiting for their run's end, oldest first.
        Map<ObjectId, Deferred> deferred = new LinkedHashMap<>();
        PublishedEvents published = new PublishedEvents();
        while (running) {
            try {
                long wakeAt = Long.MAX_VALUE;
                if (!deferred.isEmpty()) {
                    wakeAt = deferred.values().iterator().next().since() + holdStarted;
                }
                if (!published.isEmpty()) {
                    wakeAt = Math.min(wakeAt, published.dueAt);
                }
                Written first = wakeAt == Long.MAX_VALUE ? handedOver.take()
                        : handedOver.poll(Math.max(0, wakeAt - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (first != null) {
                    round.add(first);
                    if (linger > 0) {
                        lingerFor(round);
                    }
                    handedOver.drainTo(round, MAX_ROUND - round.size());
                }
            } catch (InterruptedException stopping) {
                break;
            }
            long now = System.nanoTime();
            List<Written> toSend = new ArrayList<>(round.size() + 1);
            for (Written w : round) {
                Deferred earlier = deferred.remove(w.runId());
                if (earlier != null) {
                    toSend.add(earlier.started()); // its run's end (or anything else of the run) is here: both go
                }
                if (holdStarted > 0 && w.isOnlyRunStarted()) {
                    deferred.put(w.runId(), new Deferred(w, now));
                } else {
                    toSend.add(w);
                }
            }
            round.clear();
            for (var it = deferred.values().iterator(); it.hasNext(); ) {
                Deferred d = it.next();
                if (deferred.size() <= MAX_HELD && now - d.since() < holdStarted) {
                    break; // oldest first: the rest are younger
                }
                toSend.add(d.started()); // the run is still running: its run.started goes alone
                it.remove();
            }
            if (!toSend.isEmpty()) {
                relay(toSend, published);
            }
            if (!published.isEmpty() && (published.dueAt - System.nanoTime() <= 0
                    || published.byRun.size() >= MAX_ROUND)) {
                removeGathered(published);
            }
        }
        // Stopping: what was published is removed now if the store still answers (else the sweep publishes it again);
        // a deferred run.started stays in its run, flagged, for the next start's sweep.
        removeGathered(published);
        deferred.keySet().forEach(runId -> released(runId, 1));
    }

    private void removeGathered(PublishedEvents published) {
        if (published.isEmpty()) {
            return;
        }
        try {
            removePublishedQuietly(published.byRun);
        } finally {
            published.handOvers.forEach(this::released);
            published.byRun.clear();
            published.handOvers.clear();
        }
    }

    /**
     * Publishes the events of a round and, once Kafka acknowledged them, hands them to {@code gathered} for removal
     * (due at once if there is no removal delay: the loop removes them next), except first requests, which stay for
     * the claim (a failed one is retried by the sweep). The runs whose events failed to publish leave this relay's
     * hands now, for the sweep.
     */
    private void relay(List<Written> toSend, PublishedEvents gathered) {
        Map<ObjectId, List<BsonDocument>> byRun = new LinkedHashMap<>();
        Map<ObjectId, List<BsonDocument>> toRemove = new LinkedHashMap<>();
        Map<ObjectId, Integer> handOvers = new LinkedHashMap<>();
        for (Written w : toSend) {
            byRun.computeIfAbsent(w.runId(), id -> new ArrayList<>()).addAll(w.events());
            handOvers.merge(w.runId(), 1, Integer::sum);
            if (!w.leftInRun()) {
                toRemove.computeIfAbsent(w.runId(), id -> new ArrayList<>()).addAll(w.events());
            }
        }
        Map<ObjectId, List<BsonDocument>> published = publishQuietly(byRun, false);
        toSend.stream().filter(w -> w.leftInRun() && !published.containsKey(w.runId()))
                .forEach(w -> unpublishedRequests.add(w.runId()));
        long due = System.nanoTime() + removalDelay;
        handOvers.forEach((runId, n) -> {
            List<BsonDocument> events = toRemove.get(runId);
            if (events != null && published.containsKey(runId)) {
                gathered.add(runId, events, n, due);
            } else {
                released(runId, n); // nothing to remove (a first request), or not published: flagged for the sweep
            }
        });
    }

    private void lingerFor(List<Written> round) throws InterruptedException {
        long until = System.nanoTime() + linger;
        for (long left = linger; left > 0 && round.size() < MAX_ROUND; left = until - System.nanoTime()) {
            Written more = handedOver.poll(left, TimeUnit.NANOSECONDS);
            if (more == null) {
                break;
            }
            round.add(more);
        }
    }

    private void released(ObjectId runId, int handOvers) {
        inHand.computeIfPresent(runId, (id, n) -> n > handOvers ? n - handOvers : null);
    }

    @Scheduled(every = "${tollgate.workflow.outbox.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        resumeRequests();
        // The sparse index on the flag holds only runs with events waiting: the sweep reads those and nothing else,
        // with their events, and relays in rounds those whose first event the previous sweep found waiting too.
        Map<ObjectId, List<BsonDocument>> waiting = new LinkedHashMap<>();
        Map<ObjectId, BsonValue> seenNow = new HashMap<>();
        Map<ObjectId, BsonValue> seenBefore = waitingAtLastSweep;
        List<ObjectId> drainedButFlagged = new ArrayList<>();
        runs().withDocumentClass(BsonDocument.class).find(Filters.eq(OutboxWrites.PENDING, true))
                .projection(Projections.include(OutboxWrites.EVENTS)).limit(1000).forEach(run -> {
                    ObjectId id = run.getObjectId("_id").getValue();
                    if (inHand.containsKey(id)) {
                        return; // the relay thread has these events and removes them once published
                    }
                    List<BsonDocument> events = storedEvents(run);
                    if (events.isEmpty()) {
                        drainedButFlagged.add(id);
                        return;
                    }
                    BsonValue firstEvent = events.getFirst().get("_id");
                    if (firstEvent.equals(seenBefore.get(id))) {
                        waiting.put(id, events);
                    } else {
                        seenNow.put(id, firstEvent); // maybe another process's, published and about to be removed
                    }
                });
        waitingAtLastSweep = seenNow;
        drainedButFlagged.forEach(this::clearFlagIfDrained); // a relay stopped between removing events and the flag
        List<ObjectId> ids = claimForSweep(waiting.keySet());
        for (int from = 0; from < ids.size(); from += MAX_ROUND) {
            Map<ObjectId, List<BsonDocument>> round = new LinkedHashMap<>();
            ids.subList(from, Math.min(ids.size(), from + MAX_ROUND)).forEach(id -> round.put(id, waiting.get(id)));
            removePublishedQuietly(publishQuietly(round, true));
        }
    }

    /**
     * The runs of {@code found} whose left-over events this process may publish now: each taken with one conditional
     * write for {@link #SWEEP_CLAIM} (a run's sweep claim not held by anyone, or run out). Every process with a relay
     * sweeps (the api replicas and the workers alike), and each would otherwise publish the same left-over events at
     * the same sweep: duplicates, and two copies of a run's events interleaved on its partition. Only crash leftovers
     * get here, so the write is rare.
     */
    List<ObjectId> claimForSweep(java.util.Collection<ObjectId> found) {
        List<ObjectId> claimed = new ArrayList<>();
        java.util.Date now = new java.util.Date();
        java.util.Date until = new java.util.Date(now.getTime() + SWEEP_CLAIM.toMillis());
        for (ObjectId id : found) {
            if (runs().updateOne(Filters.and(Filters.eq("_id", id), Filters.or(Filters.eq(SWEEP_CLAIM_FIELD, null),
                    Filters.lt(SWEEP_CLAIM_FIELD, now))), Updates.set(SWEEP_CLAIM_FIELD, until)).getModifiedCount() == 1) {
                claimed.add(id);
            }
        }
        return claimed;
    }

    /** How long a sweep's claim on a run's left-over events keeps other processes' sweeps off them. */
    static final java.time.Duration SWEEP_CLAIM = java.time.Duration.ofSeconds(30);
    static final String SWEEP_CLAIM_FIELD = "outboxSweptUntil";

    /**
     * Publishes the first requests that are waiting unpublished: those this relay failed to publish and, at the first
     * sweep of an api process, every queued run's (a predecessor may have died between insert and publish; a request
     * published twice is claimed once). Left in the run, as {@link #publishRequest} leaves them.
     */
    private void resumeRequests() {
        Bson unflaggedQueued = Filters.and(Filters.eq("status", RunStatus.QUEUED.name()),
                Filters.exists(OutboxWrites.PENDING, false), Filters.exists(OutboxWrites.EVENTS + ".0"));
        Bson which = null;
        if (!requestsResumed && !role.isWorker()) {
            which = unflaggedQueued; // served by the index {status, updatedAt}: the queued runs only
        } else if (!unpublishedRequests.isEmpty()) {
            List<ObjectId> retry = new ArrayList<>(unpublishedRequests);
            unpublishedRequests.removeAll(retry);
            which = Filters.and(Filters.in("_id", retry), unflaggedQueued);
        }
        requestsResumed = true;
        if (which == null) {
            return;
        }
        Map<ObjectId, List<BsonDocument>> round = new LinkedHashMap<>();
        for (BsonDocument run : runs().withDocumentClass(BsonDocument.class).find(which)
                .projection(Projections.include(OutboxWrites.EVENTS))) {
            ObjectId id = run.getObjectId("_id").getValue();
            if (!inHand.containsKey(id)) {
                round.put(id, storedEvents(run));
            }
            if (round.size() == MAX_ROUND) {
                publishRequestsLeft(round);
            }
        }
        publishRequestsLeft(round);
    }

    private void publishRequestsLeft(Map<ObjectId, List<BsonDocument>> round) {
        if (round.isEmpty()) {
            return;
        }
        Map<ObjectId, List<BsonDocument>> published = publishQuietly(round, true);
        round.keySet().stream().filter(id -> !published.containsKey(id)).forEach(unpublishedRequests::add);
        round.clear();
    }

    /** Reads the run's events and relays them now (tests, and anything that must not wait for a round). */
    public void flush(ObjectId runId) {
        BsonDocument run = runs().withDocumentClass(BsonDocument.class).find(Filters.eq("_id", runId))
                .projection(Projections.include(OutboxWrites.EVENTS, OutboxWrites.PENDING)).first();
        if (run == null) {
            return;
        }
        List<BsonDocument> pending = storedEvents(run);
        if (pending.isEmpty()) {
            if (run.containsKey(OutboxWrites.PENDING)) {
                clearFlagIfDrained(runId);
            }
            return;
        }
        removePublished(publishRound(Map.of(runId, pending), true));
    }

    /** The events waiting in the run now, exactly as stored. */
    List<Document> pending(ObjectId runId) {
        Document run = runs().find(Filters.eq("_id", runId)).projection(new Document(OutboxWrites.EVENTS, 1)).first();
        return run == null ? List.of() : run.getList(OutboxWrites.EVENTS, Document.class, List.of());
    }

    /**
     * Sends every event of every run in the round, waits for Kafka's acks, and returns the events of each run whose
     * sends were all acknowledged, for removal. A run with a failed send keeps its events for the sweep.
     * {@code republished}: the events were read back from the store (a sweep, a flush), so some may have reached Kafka
     * before; they are marked so ({@link KafkaSends#REPUBLISHED_HEADER}), and callback-service checks those against
     * its deliveries before posting. Only a writer's own hand-over, published once by the relay thread, goes unmarked.
     */
    private Map<ObjectId, List<BsonDocument>> publishRound(Map<ObjectId, List<BsonDocument>> round,
            boolean republished) {
        Map<ObjectId, CompletableFuture<Void>> acked = new LinkedHashMap<>();
        round.forEach((runId, events) -> {
            List<CompletableFuture<Void>> sends = new ArrayList<>(events.size());
            try {
                for (BsonDocument event : events) {
                    sends.add(send(event, republished));
                }
                acked.put(runId, CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)));
            } catch (RuntimeException e) {
                acked.put(runId, CompletableFuture.failedFuture(e));
            }
        });
        try {
            CompletableFuture.allOf(acked.values().toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (ExecutionException | TimeoutException someFailed) {
            // the runs whose sends all completed are still removed below; the others wait for the sweep
        }
        Map<ObjectId, List<BsonDocument>> published = new LinkedHashMap<>();
        int failed = 0;
        for (var e : acked.entrySet()) {
            if (e.getValue().isDone() && !e.getValue().isCompletedExceptionally()) {
                published.put(e.getKey(), round.get(e.getKey()));
                publishedEvents.increment(round.get(e.getKey()).size());
            } else {
                failed++;
            }
        }
        if (failed > 0) {
            LOG.warnf("publishing the events of %d run(s) failed; the sweep retries them", failed);
        }
        return published;
    }

    /** One run's published events (tests interleave a worker's append with it). */
    void removePublished(ObjectId runId, List<? extends Bson> published) {
        removePublished(Map.of(runId, published));
    }

    /**
     * Removes exactly the events that were published, never one a worker appended meanwhile, for every run of a
     * round in one bulk write. Usually nothing was appended, and per run one update conditional on the list being
     * exactly what was published empties it and clears the flag. If any run's list differed (an event was appended
     * meanwhile), a second bulk write does, per run of the round, {@code $pullAll} of the documents published, which
     * removes those alone (a no-op on the runs already emptied), then clears the flag only where that left the list
     * empty. (A pull by a field's value lost such events: the codec stores {@link PendingEvent}'s {@code id} as
     * {@code _id}, so a pull by {@code id} matched every event, the unpublished ones too.) The published documents are
     * encoded with the codec the writers used, so they compare equal to what is stored. Returns how many runs the
     * first bulk write emptied.
     */
    int removePublished(Map<ObjectId, ? extends List<? extends Bson>> published) {
        if (published.isEmpty()) {
            return 0;
        }
        removalWrites.increment();
        List<WriteModel<Document>> exact = new ArrayList<>(published.size());
        published.forEach((runId, events) -> exact.add(new UpdateOneModel<>(
                Filters.and(Filters.eq("_id", runId), Filters.eq(OutboxWrites.EVENTS, events)),
                Updates.combine(Updates.set(OutboxWrites.EVENTS, List.of()), Updates.unset(OutboxWrites.PENDING)))));
        int drained = runs().bulkWrite(exact, new BulkWriteOptions().ordered(false)).getMatchedCount();
        removalUpdates.increment(exact.size());
        if (drained == published.size()) {
            return drained;
        }
        List<WriteModel<Document>> pull = new ArrayList<>(2 * published.size());
        published.forEach((runId, events) -> {
            pull.add(new UpdateOneModel<>(Filters.eq("_id", runId), Updates.pullAll(OutboxWrites.EVENTS, events)));
            pull.add(new UpdateOneModel<>(drainedFilter(runId), Updates.unset(OutboxWrites.PENDING)));
        });
        runs().bulkWrite(pull, new BulkWriteOptions().ordered(true));
        removalWrites.increment();
        removalUpdates.increment(pull.size());
        return drained;
    }

    /** Clears the flag only while the list is empty: an event appended in between sets it again in its own write. */
    private void clearFlagIfDrained(ObjectId runId) {
        runs().updateOne(drainedFilter(runId), Updates.unset(OutboxWrites.PENDING));
    }

    private static Bson drainedFilter(ObjectId runId) {
        return Filters.and(Filters.eq("_id", runId), Filters.size(OutboxWrites.EVENTS, 0),
                Filters.exists(OutboxWrites.PENDING));
    }

    private Map<ObjectId, List<BsonDocument>> publishQuietly(Map<ObjectId, List<BsonDocument>> round,
            boolean republished) {
        try {
            return publishRound(round, republished);
        } catch (RuntimeException e) {
            LOG.warnf("relaying the events of %d run(s) failed, the sweep retries them: %s", round.size(),
                    e.toString());
            return Map.of();
        }
    }

    private void removePublishedQuietly(Map<ObjectId, List<BsonDocument>> published) {
        try {
            removePublished(published);
        } catch (RuntimeException e) {
            LOG.warnf("removing the published events of %d run(s) failed; the sweep publishes them again: %s",
                    published.size(), e.toString());
        }
    }

    private CompletableFuture<Void> send(BsonDocument event, boolean republished) {
        String topic = event.getString("topic").getValue();
        return KafkaSends.send(RunEvents.REQUESTED_TOPIC.equals(topic) ? requested : lifecycle,
                event.getString("key").getValue(), event.getString("payload").getValue(), republished);
    }

    private static List<BsonDocument> storedEvents(BsonDocument run) {
        if (!run.isArray(OutboxWrites.EVENTS)) {
            return List.of();
        }
        List<BsonDocument> events = new ArrayList<>();
        run.getArray(OutboxWrites.EVENTS).forEach(v -> events.add(v.asDocument()));
        return events;
    }

    private MongoCollection<Document> runs() {
        return mongo.getDatabase(database).getCollection("runs");
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (relayThread != null) {
            relayThread.interrupt();
        }
    }
}
