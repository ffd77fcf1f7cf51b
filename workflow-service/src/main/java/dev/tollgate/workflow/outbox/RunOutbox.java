package dev.tollgate.workflow.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import dev.tollgate.platform.messaging.KafkaSends;
import dev.tollgate.platform.messaging.OutboxStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
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

/**
 * The runs' outbox, for the relay: events wait in a run's {@value OutboxWrites#EVENTS}, flagged
 * {@value OutboxWrites#PENDING} ({@link OutboxWrites}), as the codec stores {@link PendingEvent}s ({@code id} as
 * {@code _id}); each goes to its topic keyed by the run id. The relay handles them in that stored form, so that what
 * it removes compares equal to what the writers stored.
 */
@ApplicationScoped
public class RunOutbox implements OutboxStore<ObjectId, BsonDocument> {

    /** How long a sweep's claim on a run's left-over events keeps other processes' sweeps off them. */
    static final Duration SWEEP_CLAIM = Duration.ofSeconds(30);
    static final String SWEEP_CLAIM_FIELD = "outboxSweptUntil";

    private final MongoCollection<Document> runs;
    private final Codec<PendingEvent> eventCodec;
    /** Updates issued to remove published events (one per run when nothing raced; a held run.started saves one). */
    private final Counter removalUpdates;

    // Emitters are injected into fields: that is where their @OnOverflow buffer is known to apply.
    @Inject
    @Channel("run-requested")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    Emitter<String> requested;

    @Inject
    @Channel("run-lifecycle")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    Emitter<String> lifecycle;

    /** What {@link #remove} did: bulk writes issued, and how many runs the first one emptied. */
    record Removal(int writes, int emptiedAtOnce) {
    }

    @Inject
    RunOutbox(MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database,
            MeterRegistry metrics) {
        runs = mongo.getDatabase(database).getCollection("runs");
        eventCodec = runs.getCodecRegistry().get(PendingEvent.class);
        removalUpdates = metrics.counter("tollgate.outbox.removal.updates");
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
     * {@code republished}: callback-service checks events carrying {@link KafkaSends#REPUBLISHED_HEADER} against its
     * deliveries before posting; only a writer's own hand-over, published once by the relay thread, goes unmarked.
     */
    @Override
    public CompletableFuture<Void> send(ObjectId runId, BsonDocument event, boolean republished) {
        String topic = event.getString("topic").getValue();
        return KafkaSends.send(RunTopics.REQUESTED.equals(topic) ? requested : lifecycle,
                event.getString("key").getValue(), event.getString("payload").getValue(), republished,
                text(event, "traceparent"), budgetHeaders(event));
    }

    private static Map<String, String> budgetHeaders(BsonDocument event) {
        Map<String, String> headers = new HashMap<>(2);
        headers.put(RunTopics.BUDGET_HEADER, text(event, "budget"));
        BsonValue limit = event.get("budgetLimit");
        headers.put(RunTopics.BUDGET_LIMIT_HEADER, limit != null && limit.isNumber()
                ? Integer.toString(limit.asNumber().intValue()) : null);
        return headers;
    }

    private static String text(BsonDocument event, String field) {
        BsonValue value = event.get(field);
        return value != null && value.isString() ? value.asString().getValue() : null;
    }

    @Override
    public int removePublished(Map<ObjectId, List<BsonDocument>> published) {
        return remove(published).writes();
    }

    /** One run's published events (tests interleave a worker's append with it). */
    void removePublished(ObjectId runId, List<? extends Bson> published) {
        remove(Map.of(runId, published));
    }

    /**
     * Removes exactly the events that were published, never one a worker appended meanwhile, for every run in one
     * bulk write. Usually nothing was appended, and per run one update conditional on the list being exactly what was
     * published empties it and clears the flag. If any run's list differed (an event was appended meanwhile), a second
     * bulk write does, per run, {@code $pullAll} of the documents published, which removes those alone (a no-op on
     * the runs already emptied), then clears the flag only where that left the list empty. (A pull by a field's value
     * lost such events: the codec stores {@link PendingEvent}'s {@code id} as {@code _id}, so a pull by {@code id}
     * matched every event, the unpublished ones too.) A run listed with no events only has its flag cleared if its
     * list is empty (a relay stopped between removing the events and the flag).
     */
    Removal remove(Map<ObjectId, ? extends List<? extends Bson>> published) {
        if (published.isEmpty()) {
            return new Removal(0, 0);
        }
        List<WriteModel<Document>> exact = new ArrayList<>(published.size());
        published.forEach((runId, events) -> exact.add(events.isEmpty()
                ? new UpdateOneModel<>(drainedFilter(runId), Updates.unset(OutboxWrites.PENDING))
                : new UpdateOneModel<>(Filters.and(Filters.eq("_id", runId), Filters.eq(OutboxWrites.EVENTS, events)),
                        Updates.combine(Updates.set(OutboxWrites.EVENTS, List.of()),
                                Updates.unset(OutboxWrites.PENDING)))));
        int drained = runs.bulkWrite(exact, new BulkWriteOptions().ordered(false)).getMatchedCount();
        removalUpdates.increment(exact.size());
        List<WriteModel<Document>> pull = new ArrayList<>(2 * published.size());
        if (drained < published.size()) {
            published.forEach((runId, events) -> {
                if (!events.isEmpty()) {
                    pull.add(new UpdateOneModel<>(Filters.eq("_id", runId),
                            Updates.pullAll(OutboxWrites.EVENTS, events)));
                    pull.add(new UpdateOneModel<>(drainedFilter(runId), Updates.unset(OutboxWrites.PENDING)));
                }
            });
        }
        if (pull.isEmpty()) {
            return new Removal(1, drained);
        }
        runs.bulkWrite(pull, new BulkWriteOptions().ordered(true));
        removalUpdates.increment(pull.size());
        return new Removal(2, drained);
    }

    /** Clears the flag only while the list is empty: an event appended in between sets it again in its own write. */
    void clearFlagIfDrained(ObjectId runId) {
        runs.updateOne(drainedFilter(runId), Updates.unset(OutboxWrites.PENDING));
    }

    private static Bson drainedFilter(ObjectId runId) {
        return Filters.and(Filters.eq("_id", runId), Filters.size(OutboxWrites.EVENTS, 0),
                Filters.exists(OutboxWrites.PENDING));
    }

    /**
     * The flagged runs with their events: the sparse index on the flag holds only runs with events waiting, so the
     * sweep reads those and nothing else.
     */
    @Override
    public Map<ObjectId, List<BsonDocument>> waitingForSweep(int limit) {
        Map<ObjectId, List<BsonDocument>> waiting = new LinkedHashMap<>();
        runs.withDocumentClass(BsonDocument.class).find(Filters.eq(OutboxWrites.PENDING, true))
                .projection(Projections.include(OutboxWrites.EVENTS)).limit(limit)
                .forEach(run -> waiting.put(run.getObjectId("_id").getValue(), storedEvents(run)));
        return waiting;
    }

    @Override
    public Object eventId(BsonDocument event) {
        return event.get("_id");
    }

    /**
     * The runs of {@code found} whose left-over events this process may publish now: each taken with one conditional
     * write for {@link #SWEEP_CLAIM} (a run's sweep claim not held by anyone, or run out). Every process with a relay
     * sweeps (the api replicas and the workers alike), and each would otherwise publish the same left-over events at
     * the same sweep: duplicates, and two copies of a run's events interleaved on its partition. Only crash leftovers
     * get here, so the write is rare.
     */
    @Override
    public List<ObjectId> claimForSweep(Collection<ObjectId> found) {
        List<ObjectId> claimed = new ArrayList<>();
        Date now = new Date();
        Date until = new Date(now.getTime() + SWEEP_CLAIM.toMillis());
        for (ObjectId id : found) {
            if (runs.updateOne(Filters.and(Filters.eq("_id", id), Filters.or(Filters.eq(SWEEP_CLAIM_FIELD, null),
                    Filters.lt(SWEEP_CLAIM_FIELD, now))), Updates.set(SWEEP_CLAIM_FIELD, until)).getModifiedCount() == 1) {
                claimed.add(id);
            }
        }
        return claimed;
    }

    /** Every queued run's first request waiting unflagged (served by the index {status, updatedAt}). */
    void forEachFirstRequestWaiting(BiConsumer<ObjectId, List<BsonDocument>> action) {
        forEachUnflaggedQueued(unflaggedQueued(), action);
    }

    /** The first requests waiting unflagged in those of {@code among} still queued. */
    void forEachFirstRequestWaiting(Collection<ObjectId> among, BiConsumer<ObjectId, List<BsonDocument>> action) {
        forEachUnflaggedQueued(Filters.and(Filters.in("_id", among), unflaggedQueued()), action);
    }

    /**
     * How a queued run's {@code status} is stored ({@code RunStatus.QUEUED}'s name): named here so that the outbox
     * does not depend on the runs package, which depends on it (RunOutboxTest holds the two equal).
     */
    static final String QUEUED = "QUEUED";

    private static Bson unflaggedQueued() {
        return Filters.and(Filters.eq("status", QUEUED),
                Filters.exists(OutboxWrites.PENDING, false), Filters.exists(OutboxWrites.EVENTS + ".0"));
    }

    private void forEachUnflaggedQueued(Bson which, BiConsumer<ObjectId, List<BsonDocument>> action) {
        for (BsonDocument run : runs.withDocumentClass(BsonDocument.class).find(which)
                .projection(Projections.include(OutboxWrites.EVENTS))) {
            action.accept(run.getObjectId("_id").getValue(), storedEvents(run));
        }
    }

    /** The run's outbox as stored now (its events and flag); null if there is no such run. */
    BsonDocument outboxOf(ObjectId runId) {
        return runs.withDocumentClass(BsonDocument.class).find(Filters.eq("_id", runId))
                .projection(Projections.include(OutboxWrites.EVENTS, OutboxWrites.PENDING)).first();
    }

    /** The events waiting in the run now, exactly as stored. */
    List<Document> pending(ObjectId runId) {
        Document run = runs.find(Filters.eq("_id", runId)).projection(new Document(OutboxWrites.EVENTS, 1)).first();
        return run == null ? List.of() : run.getList(OutboxWrites.EVENTS, Document.class, List.of());
    }

    static List<BsonDocument> storedEvents(BsonDocument run) {
        if (!run.isArray(OutboxWrites.EVENTS)) {
            return List.of();
        }
        List<BsonDocument> events = new ArrayList<>();
        run.getArray(OutboxWrites.EVENTS).forEach(v -> events.add(v.asDocument()));
        return events;
    }
}
