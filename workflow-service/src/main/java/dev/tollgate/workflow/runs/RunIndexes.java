package dev.tollgate.workflow.runs;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import dev.tollgate.workflow.outbox.OutboxWrites;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * The indexes every query on {@code runs} reads by, so that none reads the runs' history (README, "Indexes"). Every
 * other query on runs is by {@code _id} (lease renewal too: {@code _id $in} the runs being executed), which MongoDB
 * indexes anyway; {@code workflows} are read by {@code _id}
 * only. Created at start by either role; a store that is down then does not stop the service (readiness says so),
 * and creation is retried.
 */
@ApplicationScoped
public class RunIndexes {

    private static final Logger LOG = Logger.getLogger(RunIndexes.class);

    /** Name of the sparse index on the outbox flag: its absence means the store predates the flag. */
    static final String OUTBOX_INDEX = OutboxWrites.PENDING + "_1";

    @Inject
    RunRepository runs;

    private volatile boolean created;

    void atStart(@Observes StartupEvent start) {
        ensure();
    }

    @Scheduled(every = "10s", delayed = "10s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void ensure() {
        if (created) {
            return;
        }
        try {
            MongoCollection<Run> collection = runs.mongoCollection();
            // Expired-lease sweep: {status: RUNNING, leaseUntil < now}.
            collection.createIndex(Indexes.ascending("status", "leaseUntil"));
            // Stuck-queued sweep: {status: QUEUED, updatedAt < before}, then "nothing pending" on those alone.
            collection.createIndex(Indexes.ascending("status", "updatedAt"));
            if (!outboxIndexExists(collection)) {
                flagRunsWithPendingEvents(collection);
            }
            // Outbox sweep: {outboxPending: true}. Sparse: the flag is removed once drained, so the index holds only
            // the runs with events waiting, not the history.
            collection.createIndex(Indexes.ascending(OutboxWrites.PENDING), new IndexOptions().sparse(true));
            created = true;
        } catch (MongoException e) {
            LOG.warnf("creating indexes failed (%s); retrying in 10 s", e.getMessage());
        }
    }

    private static boolean outboxIndexExists(MongoCollection<Run> collection) {
        List<Document> indexes = collection.listIndexes().into(new ArrayList<>());
        return indexes.stream().anyMatch(i -> OUTBOX_INDEX.equals(i.getString("name")));
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
