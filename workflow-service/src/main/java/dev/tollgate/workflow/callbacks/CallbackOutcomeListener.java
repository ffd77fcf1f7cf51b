package dev.tollgate.workflow.callbacks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.MongoException;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code callback.delivery.outcome} (consumer group {@code workflow-callback-outcomes}) in batches (whatever
 * one poll returned, {@code batch=true} on the channel) and folds them into their runs ({@link CallbackOutcomes}), the
 * whole batch in one bulk write. The offsets move on only once the batch is folded, so no outcome is lost.
 */
@ApplicationScoped
public class CallbackOutcomeListener {

    private static final Logger LOG = Logger.getLogger(CallbackOutcomeListener.class);

    /** First wait after a store error; it doubles up to {@link #MAX_BACKOFF}, as callback-service's intake does. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final CallbackOutcomes outcomes;
    private final ObjectMapper json;
    private volatile boolean stopping;

    public CallbackOutcomeListener(CallbackOutcomes outcomes, ObjectMapper json) {
        this.outcomes = outcomes;
        this.json = json;
    }

    @Incoming("callback-outcomes")
    @Blocking
    public void onOutcomes(List<String> payloads) throws InterruptedException {
        List<CallbackOutcome> batch = new ArrayList<>(payloads.size());
        for (String payload : payloads) {
            CallbackOutcome outcome;
            try {
                outcome = json.readValue(payload, CallbackOutcome.OutcomeEvent.class).data();
            } catch (Exception e) {
                LOG.warnf("ignoring an unreadable callback outcome: %s", e.getMessage());
                continue;
            }
            if (outcome == null || !outcome.isValid() || !ObjectId.isValid(outcome.runId())) {
                LOG.warnf("ignoring an invalid callback outcome for run %s", outcome == null ? null : outcome.runId());
                continue;
            }
            batch.add(outcome);
        }
        if (!batch.isEmpty()) {
            foldRetrying(batch);
        }
    }

    /**
     * A store error is an outage, not a bad outcome: throwing would nack the batch, and the channel's fail strategy
     * would then stop consuming for good. So hold the partitions and retry until the store answers (folding is
     * idempotent, so a batch partly folded before the error is folded again harmlessly). Only a shutdown gives up,
     * leaving the batch uncommitted for whoever consumes the partitions next.
     */
    private void foldRetrying(List<CallbackOutcome> batch) throws InterruptedException {
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                outcomes.foldAll(batch);
                return;
            } catch (MongoException e) {
                if (stopping) {
                    throw e;
                }
                LOG.warnf("folding %d callback outcome(s) failed, retrying in %d ms: %s", batch.size(),
                        backoff.toMillis(), e.toString());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }
}
