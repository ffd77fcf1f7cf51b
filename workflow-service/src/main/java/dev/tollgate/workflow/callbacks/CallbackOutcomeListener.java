package dev.tollgate.workflow.callbacks;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.MongoException;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code callback.delivery.outcome} (consumer group {@code workflow-callback-outcomes}) and folds each
 * outcome into its run ({@link CallbackOutcomes}). The offset moves on only once the outcome is folded, so none is
 * lost.
 */
@ApplicationScoped
public class CallbackOutcomeListener {

    private static final Logger LOG = Logger.getLogger(CallbackOutcomeListener.class);

    /** First wait after a store error; it doubles up to {@link #MAX_BACKOFF}, as callback-service's intake does. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    @Inject
    CallbackOutcomes outcomes;

    @Inject
    ObjectMapper json;

    private volatile boolean stopping;

    @Incoming("callback-outcomes")
    @Blocking
    public void onOutcome(String payload) throws InterruptedException {
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
        foldRetrying(outcome);
    }

    /**
     * A store error is an outage, not a bad outcome: throwing would nack the message, and the channel's fail strategy
     * would then stop consuming for good. So hold the partition and retry until the store answers (folding is
     * idempotent). Only a shutdown gives up, leaving the outcome uncommitted for whoever consumes the partition next.
     */
    private void foldRetrying(CallbackOutcome outcome) throws InterruptedException {
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                outcomes.fold(outcome);
                return;
            } catch (MongoException e) {
                if (stopping) {
                    throw e;
                }
                LOG.warnf("folding the callback outcome of run %s failed, retrying in %d ms: %s", outcome.runId(),
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
