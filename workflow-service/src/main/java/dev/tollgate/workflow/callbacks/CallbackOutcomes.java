package dev.tollgate.workflow.callbacks;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * Folds callback-service's delivery outcomes into the run's {@code callback_*} fields, with one conditional update:
 * an outcome applies only if it is newer than the last one folded (by attempt time) and the callback is not already
 * delivered, so replays, duplicates and late arrivals change nothing, and {@code delivered} is final. That also makes
 * folding the same outcome again harmless, which is what lets the listener retry it after a store error.
 */
@ApplicationScoped
public class CallbackOutcomes {

    private final RunRepository runs;

    public CallbackOutcomes(RunRepository runs) {
        this.runs = runs;
    }

    /** Returns whether the outcome changed the run; throws {@code MongoException} when the store fails. */
    public boolean fold(CallbackOutcome o) {
        return runs.collection().updateOne(filter(o), update(o)).getModifiedCount() == 1;
    }

    /**
     * Folds a batch in one unordered bulk write: each outcome is its own conditional update, so the order within the
     * batch does not matter (of two outcomes of one run only the newer applies, whichever is tried first). Returns
     * how many changed a run; throws {@code MongoException} when the store fails (folding the batch again is
     * harmless).
     */
    public int foldAll(List<CallbackOutcome> batch) {
        List<WriteModel<Run>> updates = new ArrayList<>(batch.size());
        for (CallbackOutcome o : batch) {
            updates.add(new UpdateOneModel<>(filter(o), update(o)));
        }
        return runs.collection().bulkWrite(updates, new BulkWriteOptions().ordered(false)).getModifiedCount();
    }

    private static Bson filter(CallbackOutcome o) {
        Bson newer = Filters.or(Filters.eq("callbackAttemptedAt", null),
                Filters.lt("callbackAttemptedAt", Date.from(o.attemptedAt())));
        return Filters.and(Filters.eq("_id", new ObjectId(o.runId())), Filters.ne("callbackStatus", "delivered"),
                newer);
    }

    private static Bson update(CallbackOutcome o) {
        List<Bson> sets = new ArrayList<>(List.of(
                Updates.set("callbackStatus", o.status()),
                Updates.set("callbackLastStatus", o.httpStatus()),
                Updates.set("callbackLastError", o.error()),
                Updates.set("callbackAttemptedAt", Date.from(o.attemptedAt()))));
        if (o.deliveredAt() != null) {
            sets.add(Updates.set("callbackDeliveredAt", Date.from(o.deliveredAt())));
        }
        return Updates.combine(sets);
    }
}
