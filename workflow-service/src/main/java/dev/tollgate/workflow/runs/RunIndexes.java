package dev.tollgate.workflow.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import dev.tollgate.platform.store.IndexBootstrap;
import dev.tollgate.workflow.config.WorkflowConfig;
import dev.tollgate.workflow.outbox.OutboxWrites;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * The indexes every query on {@code runs} reads by, so that none reads the runs' history (README, "Indexes"), and the
 * unique one on the request key that makes a request_id idempotent. Every other query on runs is by {@code _id} (lease
 * renewal too: {@code _id $in} the runs being executed), which MongoDB indexes anyway; {@code workflows} are read by
 * {@code _id} only. Created at start by either role; a store that is down then does not stop the service (readiness
 * says so, {@link RequestKeysReadiness}), and creation is retried. An index that needs a scan of a large store first
 * (the first start of a version that adds one) is built behind the start instead, for the same reason: a start that
 * outlasted Kubernetes' startup probe would be killed and begin again.
 */
@ApplicationScoped
public class RunIndexes {

    private static final Logger LOG = Logger.getLogger(RunIndexes.class);

    /** Name of the sparse index on the outbox flag: its absence means the store predates the flag. */
    static final String OUTBOX_INDEX = OutboxWrites.PENDING + "_1";

    /** {@link Run#requestKey}'s field. */
    static final String REQUEST_KEY = "requestKey";
    /** Its unique index's name: its absence means the store may hold runs keyed the earlier way. */
    static final String REQUEST_KEY_INDEX = REQUEST_KEY + "_1";
    private static final int BACKFILL_BATCH = 1000;

    private final RunRepository runs;
    private final WorkflowConfig config;
    private final IndexBootstrap bootstrap = new IndexBootstrap("runs", this::build);
    private volatile boolean requestKeysIndexed;

    public RunIndexes(RunRepository runs, WorkflowConfig config) {
        this.runs = runs;
        this.config = config;
    }

    void atStart(@Observes StartupEvent start) {
        start(config.indexes().scanAtStartMaxRuns());
    }

    void atStop(@Observes ShutdownEvent stop) {
        bootstrap.stop();
    }

    /** Builds the indexes now, or behind the start when a scan of more than {@code scanAtStartMaxRuns} comes first. */
    void start(long scanAtStartMaxRuns) {
        if (scanOfALargeStoreFirst(scanAtStartMaxRuns)) {
            LOG.infof("building the runs' indexes in the background (a scan of more than %d runs first); until then "
                    + "not ready, and a trigger with a request_id answers 503 starting", scanAtStartMaxRuns);
            bootstrap.startInBackground();
        } else {
            bootstrap.start();
        }
    }

    /** Whether an index that needs a scan of every run first is missing, on a store holding more runs than the limit. */
    private boolean scanOfALargeStoreFirst(long scanAtStartMaxRuns) {
        try {
            MongoCollection<Run> collection = runs.mongoCollection();
            List<Document> indexes = collection.listIndexes().into(new ArrayList<>());
            return !(exists(indexes, REQUEST_KEY_INDEX) && exists(indexes, OUTBOX_INDEX))
                    && collection.estimatedDocumentCount() > scanAtStartMaxRuns;
        } catch (MongoException e) {
            return false; // the build meets the same error, says so, and is retried
        }
    }

    /** True once a repeated request key is refused by the store: until then a trigger with a request_id is not taken. */
    public boolean requestKeysIndexed() {
        return requestKeysIndexed;
    }

    /** Checks and creates the indexes (after the scans they need), unless done; waits for a build under way. */
    void ensure() {
        bootstrap.ensure();
    }

    private void build() {
        MongoCollection<Run> collection = runs.mongoCollection();
        List<Document> indexes = collection.listIndexes().into(new ArrayList<>());
        if (!exists(indexes, REQUEST_KEY_INDEX)) {
            keyRunsOfEarlierVersions(collection);
        }
        // A repeated or racing request_id: {requestKey: k} must find at most one run. Sparse: runs without a
        // request_id have no key.
        collection.createIndex(Indexes.ascending(REQUEST_KEY), new IndexOptions().unique(true).sparse(true));
        requestKeysIndexed = true;
        // Expired-lease sweep: {status: RUNNING, leaseUntil < now}.
        collection.createIndex(Indexes.ascending("status", "leaseUntil"));
        // Stuck-queued sweep: {status: QUEUED, updatedAt < before}, then "nothing pending" on those alone.
        collection.createIndex(Indexes.ascending("status", "updatedAt"));
        if (!exists(indexes, OUTBOX_INDEX)) {
            flagRunsWithPendingEvents(collection);
        }
        // Outbox sweep: {outboxPending: true}. Sparse: the flag is removed once drained, so the index holds only
        // the runs with events waiting, not the history.
        collection.createIndex(Indexes.ascending(OutboxWrites.PENDING), new IndexOptions().sparse(true));
    }

    /** The lock a build holds (tests hold it to keep a background build from finishing). */
    ReentrantLock building() {
        return bootstrap.building();
    }

    /** Forgets that the indexes exist, as a first start would, so that {@link #ensure} checks them again (tests). */
    void forget() {
        bootstrap.building().lock();
        try {
            bootstrap.forget();
            requestKeysIndexed = false;
        } finally {
            bootstrap.building().unlock();
        }
    }

    private static boolean exists(List<Document> indexes, String name) {
        return indexes.stream().anyMatch(i -> name.equals(i.getString("name")));
    }

    /**
     * Earlier versions made a trigger's request key its run id and stored no {@code requestKey}: such a run gets its
     * id as its key, so a replay of its request_id still finds it. Once per store, before the index exists (the scan
     * of every run happens at the first start of this version only; a start that stops half way does it again, and
     * what it did stays done).
     */
    private static void keyRunsOfEarlierVersions(MongoCollection<Run> collection) {
        MongoCollection<Document> documents = collection.withDocumentClass(Document.class);
        List<UpdateOneModel<Document>> batch = new ArrayList<>(BACKFILL_BATCH);
        long keyed = 0;
        try (MongoCursor<Document> earlier = documents
                .find(Filters.and(Filters.exists("requestId"), Filters.exists(REQUEST_KEY, false)))
                .projection(Projections.include("_id")).batchSize(BACKFILL_BATCH).iterator()) {
            while (earlier.hasNext()) {
                Object id = earlier.next().get("_id");
                batch.add(new UpdateOneModel<>(Filters.eq("_id", id), Updates.set(REQUEST_KEY, id)));
                if (batch.size() == BACKFILL_BATCH || !earlier.hasNext()) {
                    keyed += documents.bulkWrite(batch, new BulkWriteOptions().ordered(false)).getModifiedCount();
                    batch.clear();
                }
            }
        }
        if (keyed > 0) {
            LOG.infof("gave %d runs written by an earlier version their request key", keyed);
        }
    }

    /**
     * Runs written before the flag existed carry their waiting events without it, and the sweep would never find
     * them. Once per store, before its index exists: the one scan of every run this takes happens at the first start
     * of this version only.
     */
    private static void flagRunsWithPendingEvents(MongoCollection<Run> collection) {
        long flagged = collection.updateMany(Filters.exists(OutboxWrites.EVENTS + ".0"),
                Updates.set(OutboxWrites.PENDING, true)).getModifiedCount();
        if (flagged > 0) {
            LOG.infof("flagged %d runs written by an earlier version that still had events to relay", flagged);
        }
    }
}
