package dev.tollgate.workflow.runs;

import java.util.List;
import java.util.Optional;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.tollgate.workflow.outbox.OutboxWrites;
import org.bson.conversions.Bson;

import io.quarkus.mongodb.panache.PanacheMongoRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.types.ObjectId;

@ApplicationScoped
public class RunRepository implements PanacheMongoRepository<Run> {

    /**
     * Writes a cancellation decided on {@code run} if the run is still in the state it was read in; a queued run that
     * becomes cancelled also gets its {@code run.cancelled} event in the same write. Returns false if it changed.
     */
    public boolean cancel(Run run, dev.tollgate.workflow.outbox.RunEvents events) {
        RunStatus expected = run.status == RunStatus.CANCELLED ? RunStatus.QUEUED : RunStatus.RUNNING;
        List<Bson> updates = new java.util.ArrayList<>(List.of(
                Updates.set("status", run.status), Updates.set("cancelRequestedAt", run.cancelRequestedAt),
                Updates.set("cancelRequestedByUserId", run.cancelRequestedByUserId),
                Updates.set("cancelRequestId", run.cancelRequestId), Updates.set("cancelReason", run.cancelReason),
                Updates.set("updatedAt", run.updatedAt)));
        if (run.status == RunStatus.CANCELLED) {
            updates.add(Updates.set("completedAt", run.completedAt));
            updates.add(Updates.set("errorCode", run.errorCode));
            updates.add(Updates.set("errorMessage", run.errorMessage));
            updates.add(OutboxWrites.append(events.lifecycle(run, "run.cancelled", run.attempts)));
        }
        return mongoCollection().updateOne(Filters.and(Filters.eq("_id", run.id), Filters.eq("status", expected)),
                Updates.combine(updates)).getModifiedCount() == 1;
    }

    /** The run, if it exists and belongs to {@code userId}: another user's run is indistinguishable from none. */
    public Optional<Run> findOwned(ObjectId runId, String userId) {
        return find(new Document("_id", runId).append("ownerUserId", userId)).firstResultOptional();
    }
}
