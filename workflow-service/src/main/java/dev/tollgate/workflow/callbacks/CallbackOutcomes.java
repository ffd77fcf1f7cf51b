package dev.tollgate.workflow.callbacks;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.tollgate.workflow.runs.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

    @Inject
    RunRepository runs;

    /** Returns whether the outcome changed the run; throws {@code MongoException} when the store fails. */
    public boolean fold(CallbackOutcome o) {
        List<Bson> sets = new ArrayList<>(List.of(
                Updates.set("callbackStatus", o.status()),
                Updates.set("callbackLastStatus", o.httpStatus()),
                Updates.set("callbackLastError", o.error()),
                Updates.set("callbackAttemptedAt", Date.from(o.attemptedAt()))));
        if (o.deliveredAt() != null) {
            sets.add(Updates.set("callbackDeliveredAt", Date.from(o.deliveredAt())));
        }
        Bson newer = Filters.or(Filters.eq("callbackAttemptedAt", null),
                Filters.lt("callbackAttemptedAt", Date.from(o.attemptedAt())));
        return runs.mongoCollection().updateOne(Filters.and(Filters.eq("_id", new ObjectId(o.runId())),
                Filters.ne("callbackStatus", "delivered"), newer), Updates.combine(sets)).getModifiedCount() == 1;
    }
}
