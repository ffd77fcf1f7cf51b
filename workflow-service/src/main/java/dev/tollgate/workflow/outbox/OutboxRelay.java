package dev.tollgate.workflow.outbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import dev.tollgate.http.KafkaSends;
import dev.tollgate.workflow.config.WorkflowConfig;
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
 * one bulk write. Except a run's {@code run.started}: it stays in the run until the run's end is published too (at
 * most {@code hold-started}), so that a worker's {@code run.started} and {@code run.completed}, a few milliseconds
 * apart, leave the run in one update instead of two. A sweep finishes what a crash left (and skips runs whose
 * events are in this relay's hands). At least once; consumers deduplicate by event id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** Runs relayed per round at most: bounds one bulk write and one wait for acks. */
    static final int MAX_ROUND = 500;

    /** Runs whose run.started is held at most; beyond that they are all removed at once (memory stays bounded). */
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
    @Channel("run-requested")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    Emitter<String> requested;

    @Inject
    @Channel("run-lifecycle")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    Emitter<String> lifecycle;

    /** Events just written by a state change, in the form the store holds them, waiting for the next round. */
    record Written(ObjectId runId, List<BsonDocument> events) {
    }

    private final BlockingQueue<Written> handedOver = new LinkedBlockingQueue<>();
    /**
     * Per run, how many hand-overs are in this relay's hands (queued, being sent, or published and waiting for
     * removal): the sweep leaves those runs alone rather than publish their events a second time.
     */
    private final Map<ObjectId, Integer> inHand = new ConcurrentHashMap<>();
    private Codec<PendingEvent> eventCodec;
    private Thread relayThread;
    private volatile boolean running = true;
    private long linger;
    private long holdStarted;
    /** Updates issued to remove published events (one per run when nothing raced; held run.started saves one). */
    private Counter removalUpdates;

    @PostConstruct
    void start() {
        eventCodec = runs().getCodecRegistry().get(PendingEvent.class);
        linger = config.outbox().linger().toNanos();
        holdStarted = config.outbox().holdStarted().toNanos();
        removalUpdates = metrics.counter("tollgate.outbox.removal.updates");
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
        handedOver.add(new Written(runId, asStored(events)));
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

    /**
     * A run's published events not yet removed, in the order written, with how many hand-overs they came in and
     * since when they wait.
     */
    private static final class ToClear {
        final List<BsonDocument> events = new ArrayList<>();
        final long since;
        int handOvers;

        ToClear(long since) {
            this.since = since;
        }

        /** Only a {@code run.started} so far (its end usually follows within milliseconds): worth holding. */
        boolean awaitsTheRunsEnd() {
            BsonDocument last = events.getLast();
            return last.isString("_id") && last.getString("_id").getValue().contains(":run.started:");
        }
    }

    private void relayHandedOver() {
        List<Written> round = new ArrayList<>();
        // Runs whose published run.started waits for their end, oldest first; everything else is removed each round.
        Map<ObjectId, ToClear> held = new LinkedHashMap<>();
        while (running) {
            try {
                Written first = held.isEmpty() ? handedOver.take()
                        : handedOver.poll(Math.max(0, held.values().iterator().next().since + holdStarted
                                - System.nanoTime()), TimeUnit.NANOSECONDS);
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
            Map<ObjectId, List<BsonDocument>> byRun = new LinkedHashMap<>();
            Map<ObjectId, Integer> handOvers = new LinkedHashMap<>();
            for (Written w : round) {
                byRun.computeIfAbsent(w.runId(), id -> new ArrayList<>()).addAll(w.events());
                handOvers.merge(w.runId(), 1, Integer::sum);
            }
            round.clear();
            Map<ObjectId, List<BsonDocument>> published = byRun.isEmpty() ? Map.of() : publishQuietly(byRun);
            long now = System.nanoTime();
            handOvers.forEach((runId, n) -> {
                if (published.containsKey(runId)) {
                    ToClear c = held.computeIfAbsent(runId, id -> new ToClear(now));
                    c.events.addAll(published.get(runId));
                    c.handOvers += n;
                } else {
                    released(runId, n); // not published: left in the run for the sweep
                }
            });
            Map<ObjectId, ToClear> ready = new LinkedHashMap<>();
            boolean crowded = held.size() > MAX_HELD;
            held.entrySet().removeIf(e -> {
                boolean due = crowded || !e.getValue().awaitsTheRunsEnd() || now - e.getValue().since >= holdStarted;
                if (due) {
                    ready.put(e.getKey(), e.getValue());
                }
                return due;
            });
            if (!ready.isEmpty()) {
                clearQuietly(ready);
            }
        }
        if (!held.isEmpty()) {
            clearQuietly(held); // stopping: what is not removed now, the next start's sweep publishes again
        }
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

    private void clearQuietly(Map<ObjectId, ToClear> toClear) {
        Map<ObjectId, List<BsonDocument>> published = new LinkedHashMap<>();
        toClear.forEach((runId, c) -> published.put(runId, c.events));
        try {
            removePublishedQuietly(published);
        } finally {
            toClear.forEach((runId, c) -> released(runId, c.handOvers));
            toClear.clear();
        }
    }

    private void released(ObjectId runId, int handOvers) {
        inHand.computeIfPresent(runId, (id, n) -> n > handOvers ? n - handOvers : null);
    }

    @Scheduled(every = "${tollgate.workflow.outbox.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        // The sparse index on the flag holds only runs with events waiting: the sweep reads those and nothing else,
        // with their events, and relays them in rounds like handed-over ones.
        Map<ObjectId, List<BsonDocument>> waiting = new LinkedHashMap<>();
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
                    } else {
                        waiting.put(id, events);
                    }
                });
        drainedButFlagged.forEach(this::clearFlagIfDrained); // a relay stopped between removing events and the flag
        List<ObjectId> ids = new ArrayList<>(waiting.keySet());
        for (int from = 0; from < ids.size(); from += MAX_ROUND) {
            Map<ObjectId, List<BsonDocument>> round = new LinkedHashMap<>();
            ids.subList(from, Math.min(ids.size(), from + MAX_ROUND)).forEach(id -> round.put(id, waiting.get(id)));
            removePublishedQuietly(publishQuietly(round));
        }
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
        removePublished(publishRound(Map.of(runId, pending)));
    }

    /** The events waiting in the run now, exactly as stored. */
    List<Document> pending(ObjectId runId) {
        Document run = runs().find(Filters.eq("_id", runId)).projection(new Document(OutboxWrites.EVENTS, 1)).first();
        return run == null ? List.of() : run.getList(OutboxWrites.EVENTS, Document.class, List.of());
    }

    /**
     * Sends every event of every run in the round, waits for Kafka's acks, and returns the events of each run whose
     * sends were all acknowledged, for removal. A run with a failed send keeps its events for the sweep.
     */
    private Map<ObjectId, List<BsonDocument>> publishRound(Map<ObjectId, List<BsonDocument>> round) {
        Map<ObjectId, CompletableFuture<Void>> acked = new LinkedHashMap<>();
        round.forEach((runId, events) -> {
            List<CompletableFuture<Void>> sends = new ArrayList<>(events.size());
            try {
                for (BsonDocument event : events) {
                    sends.add(send(event));
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

    private Map<ObjectId, List<BsonDocument>> publishQuietly(Map<ObjectId, List<BsonDocument>> round) {
        try {
            return publishRound(round);
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

    private CompletableFuture<Void> send(BsonDocument event) {
        String topic = event.getString("topic").getValue();
        return KafkaSends.send(RunEvents.REQUESTED_TOPIC.equals(topic) ? requested : lifecycle,
                event.getString("key").getValue(), event.getString("payload").getValue());
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
