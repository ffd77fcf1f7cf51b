package dev.tollgate.workflow.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import dev.tollgate.http.KafkaSends;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes the events waiting in runs' {@code pendingEvents} and removes them once Kafka acknowledged them: right
 * after the write that added them (nothing on the trigger → callback path waits for a timer), and from a sweep that
 * finishes what a crash left. At least once; consumers deduplicate by event id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    @Inject
    @Channel("run-requested")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    Emitter<String> requested;

    @Inject
    @Channel("run-lifecycle")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    Emitter<String> lifecycle;

    private final Set<ObjectId> scheduled = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("workflow-outbox-", 0).factory());

    public void schedule(ObjectId runId) {
        if (scheduled.add(runId)) {
            executor.execute(() -> {
                scheduled.remove(runId);
                flushQuietly(runId);
            });
        }
    }

    @Scheduled(every = "${tollgate.workflow.outbox.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        // The sparse index on the flag holds only runs with events waiting: the sweep reads those and nothing else.
        List<ObjectId> ids = new ArrayList<>();
        runs().find(Filters.eq(OutboxWrites.PENDING, true)).projection(new Document("_id", 1)).limit(1000)
                .forEach(d -> ids.add(d.getObjectId("_id")));
        ids.forEach(this::flushQuietly);
    }

    public void flush(ObjectId runId) {
        Document run = runs().find(Filters.eq("_id", runId))
                .projection(Projections.include(OutboxWrites.EVENTS, OutboxWrites.PENDING)).first();
        if (run == null) {
            return;
        }
        List<Document> pending = run.getList(OutboxWrites.EVENTS, Document.class, List.of());
        if (pending.isEmpty()) {
            if (run.containsKey(OutboxWrites.PENDING)) {
                clearFlagIfDrained(runId); // a relay stopped between removing the events and clearing the flag
            }
            return;
        }
        KafkaSends.awaitAll(pending.stream().map(this::send).toList());
        removePublished(runId, pending);
    }

    /** The events waiting in the run now, exactly as stored. */
    List<Document> pending(ObjectId runId) {
        Document run = runs().find(Filters.eq("_id", runId)).projection(new Document(OutboxWrites.EVENTS, 1)).first();
        return run == null ? List.of() : run.getList(OutboxWrites.EVENTS, Document.class, List.of());
    }

    /**
     * Removes exactly the events that were published, never one a worker appended meanwhile. Usually nothing was
     * appended, and one update conditional on the list being exactly what was read empties it and clears the flag.
     * Otherwise {@code $pullAll} of the documents as read removes those alone, and the flag is cleared only if that
     * left the list empty. (A pull by a field's value lost such events: the codec stores {@link PendingEvent}'s
     * {@code id} as {@code _id}, so a pull by {@code id} matched every event, the unpublished ones too.)
     */
    void removePublished(ObjectId runId, List<Document> published) {
        boolean drained = runs().updateOne(
                Filters.and(Filters.eq("_id", runId), Filters.eq(OutboxWrites.EVENTS, published)),
                Updates.combine(Updates.set(OutboxWrites.EVENTS, List.of()), Updates.unset(OutboxWrites.PENDING)))
                .getModifiedCount() == 1;
        if (!drained) {
            runs().updateOne(Filters.eq("_id", runId), Updates.pullAll(OutboxWrites.EVENTS, published));
            clearFlagIfDrained(runId);
        }
    }

    /** Clears the flag only while the list is empty: an event appended in between sets it again in its own write. */
    private void clearFlagIfDrained(ObjectId runId) {
        runs().updateOne(Filters.and(Filters.eq("_id", runId), Filters.size(OutboxWrites.EVENTS, 0),
                Filters.exists(OutboxWrites.PENDING)), Updates.unset(OutboxWrites.PENDING));
    }

    private void flushQuietly(ObjectId runId) {
        try {
            flush(runId);
        } catch (RuntimeException e) {
            LOG.warnf("relaying events of run %s failed, will retry: %s", runId, e.toString());
        }
    }

    private CompletableFuture<Void> send(Document event) {
        return KafkaSends.send(RunEvents.REQUESTED_TOPIC.equals(event.getString("topic")) ? requested : lifecycle,
                event.getString("key"), event.getString("payload"));
    }

    private MongoCollection<Document> runs() {
        return mongo.getDatabase(database).getCollection("runs");
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdown();
    }
}
