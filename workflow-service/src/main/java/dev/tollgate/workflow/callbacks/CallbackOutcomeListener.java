package dev.tollgate.workflow.callbacks;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.tollgate.workflow.runs.RunRepository;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Folds callback-service's delivery outcomes into the run's {@code callback_*} fields, with one conditional update:
 * an outcome applies only if it is newer than the last one folded (by attempt time) and the callback is not already
 * delivered, so replays, duplicates and late arrivals change nothing, and {@code delivered} is final.
 */
@ApplicationScoped
public class CallbackOutcomeListener {

    private static final Logger LOG = Logger.getLogger(CallbackOutcomeListener.class);

    @Inject
    RunRepository runs;

    @Inject
    ObjectMapper json;

    @Incoming("callback-outcomes")
    @Blocking
    public void onOutcome(String payload) {
        CallbackOutcome outcome;
        try {
            outcome = CallbackOutcome.from(json.readTree(payload));
        } catch (Exception e) {
            LOG.warnf("ignoring an unreadable callback outcome: %s", e.getMessage());
            return;
        }
        if (!outcome.isValid() || !ObjectId.isValid(outcome.runId())) {
            LOG.warnf("ignoring an invalid callback outcome for run %s", outcome.runId());
            return;
        }
        fold(outcome);
    }

    /** Returns whether the outcome changed the run. */
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
