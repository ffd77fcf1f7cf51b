package dev.tollgate.callback.outcomes;

import java.util.List;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import dev.tollgate.callback.delivery.DeliveryRepository;
import dev.tollgate.http.KafkaSends;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes the outcomes waiting in deliveries' {@code pendingOutcomes} and removes them once Kafka acknowledged
 * them: right after the attempt is recorded, and from a sweep that finishes what a crash left. At least once;
 * workflow-service's fold is idempotent. The sweep finds its deliveries by their
 * {@link DeliveryRepository#RELAY_PENDING} mark, which a flush removes once nothing waits.
 */
@ApplicationScoped
public class OutcomeRelay {

    private static final Logger LOG = Logger.getLogger(OutcomeRelay.class);
    private static final int SWEEP_BATCH = 1000;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    @Channel("delivery-outcomes")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    Emitter<String> outcomes;

    /** Publishes one delivery's waiting outcomes; failures are left for the sweep. */
    public void flushQuietly(String runId) {
        try {
            flush(runId);
        } catch (RuntimeException e) {
            LOG.warnf("publishing outcomes of run %s failed, will retry: %s", runId, e.toString());
        }
    }

    void flush(String runId) {
        List<Document> pending = pending(runId);
        if (!pending.isEmpty()) {
            KafkaSends.awaitAll(pending.stream()
                    .map(outcome -> KafkaSends.send(outcomes, runId, outcome.getString("payload"))).toList());
            removePublished(runId, pending);
        }
        // Also when nothing waits: a flush that stopped between its removal and this step left the mark behind, and
        // the sweep, which found the delivery by that mark, must not find it forever.
        deliveries.unmarkRelayPendingIfDrained(runId);
    }

    /** The outcomes waiting in the delivery now, exactly as stored. */
    List<Document> pending(String runId) {
        Document delivery = collection().find(Filters.eq("_id", runId))
                .projection(Projections.include("pendingOutcomes")).first();
        return delivery == null ? List.of() : delivery.getList("pendingOutcomes", Document.class, List.of());
    }

    /**
     * Removes exactly the outcomes that were published ({@code $pullAll} of the documents as read), never one an
     * attempt appended meanwhile. A pull by a field's value lost such outcomes: the codec stores
     * {@link dev.tollgate.callback.delivery.PendingOutcome}'s {@code id} as {@code _id}, so a pull by {@code id}
     * matched every outcome.
     */
    void removePublished(String runId, List<Document> published) {
        collection().updateOne(Filters.eq("_id", runId), Updates.pullAll("pendingOutcomes", published));
    }

    /** Publishes what a crash (or a failed flush) left waiting; normally finds nothing. */
    @Scheduled(every = "${tollgate.callbacks.outbox-sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void sweep() {
        deliveries.withUnrelayedOutcomes(SWEEP_BATCH).forEach(this::flushQuietly);
    }

    private MongoCollection<Document> collection() {
        return deliveries.mongoCollection().withDocumentClass(Document.class);
    }
}
