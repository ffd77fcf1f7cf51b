package dev.tollgate.workflow.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import dev.tollgate.workflow.outbox.OutboxWrites;
import dev.tollgate.workflow.outbox.PendingEvent;
import org.bson.conversions.Bson;

import io.quarkus.mongodb.panache.PanacheMongoRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.types.ObjectId;

@ApplicationScoped
public class RunRepository implements PanacheMongoRepository<Run> {

    private volatile MongoCollection<Run> collection;

    /**
     * The runs collection, looked up once. Panache's {@code mongoCollection()} resolves the client bean and database
     * anew on every call, which was 2-4 % of the worker's samples on the run path; a driver collection is immutable
     * and thread-safe, so one serves every call.
     */
    public MongoCollection<Run> collection() {
        MongoCollection<Run> c = collection;
        if (c == null) {
            c = mongoCollection();
            collection = c;
        }
        return c;
    }

    /**
     * Writes a cancellation decided on {@code run} if the run is still in the state it was read in, with
     * {@code announced} (a queued run's {@code run.cancelled}) in the same write, which also drops the run's waiting
     * requests. Returns the run as written, or null if it changed meanwhile.
     */
    public Run cancel(Run run, List<PendingEvent> announced) {
        RunStatus expected = run.status == RunStatus.CANCELLED ? RunStatus.QUEUED : RunStatus.RUNNING;
        List<Bson> updates = new ArrayList<>(List.of(
                Updates.set("status", run.status), Updates.set("cancelRequestedAt", run.cancelRequestedAt),
                Updates.set("cancelRequestedByUserId", run.cancelRequestedByUserId),
                Updates.set("cancelRequestId", run.cancelRequestId), Updates.set("cancelReason", run.cancelReason),
                Updates.set("updatedAt", run.updatedAt)));
        if (run.status == RunStatus.CANCELLED) {
            updates.add(Updates.set("completedAt", run.completedAt));
            updates.add(Updates.set("errorCode", run.errorCode));
            updates.add(Updates.set("errorMessage", run.errorMessage));
        }
        Bson filter = Filters.and(Filters.eq("_id", run.id), Filters.eq("status", expected));
        if (run.status == RunStatus.CANCELLED && OutboxWrites.onlyRequests(run.pendingEvents)) {
            // Leaving the queue: the requests waiting in the outbox are moot and leave with this write.
            filter = Filters.and(filter, OutboxWrites.onlyRequestsWaiting());
            updates.add(OutboxWrites.replaceRequests(announced));
        } else if (!announced.isEmpty()) {
            updates.add(OutboxWrites.append(announced));
        }
        return collection().findOneAndUpdate(filter, Updates.combine(updates),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    }

    /** The run a trigger with this request key made ({@link Run#requestKey}), or null. */
    public Run findByRequestKey(ObjectId requestKey) {
        return collection().find(Filters.eq(RunIndexes.REQUEST_KEY, requestKey)).first();
    }

    /** The run, if it exists and belongs to {@code userId}: another user's run is indistinguishable from none. */
    public Optional<Run> findOwned(ObjectId runId, String userId) {
        return find(new Document("_id", runId).append("ownerUserId", userId)).firstResultOptional();
    }
}
