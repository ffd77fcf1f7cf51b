package dev.tollgate.callback.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * The final status of one run on its way to the run's {@code callback_url}. One per run (the run id is the primary
 * key, so a replayed lifecycle event cannot make a second), with every attempt made and the next one's time.
 */
@MongoEntity(collection = "deliveries")
public class Delivery {
    @BsonId
    public String runId;
    /** The Standard Webhooks message id, {@code msg_<runId>}: the same in every attempt, so receivers deduplicate. */
    public String webhookId;
    public String userId;
    public String url;
    /** {@code scheme://host:port}: deliveries to one receiver share its concurrency limit, and nobody else's. */
    public String lane;
    /** Exactly what is POSTed: {@code {"success":true,"data":{"run":...}}} as the status endpoint answered then. */
    public String body;
    /** The lifecycle event that asked for it ({@code run.completed}, ...). */
    public String eventType;
    /** The trace of the run (its lifecycle event's {@code traceparent}); each attempt is a span in it. */
    public String traceparent;
    /** When the run was triggered ({@code created_at}): the trigger-to-callback latency is measured from it. */
    public Instant runCreatedAt;
    public DeliveryStatus status;
    /** Attempts made in all. */
    public int attemptsMade;
    /** Attempts made since the delivery was (re)started: the position in the retry schedule. */
    public int roundAttempts;
    public Instant nextAttemptAt;
    public Instant createdAt;
    public Instant deliveredAt;
    /** Who is attempting it now, and until when that claim holds (null when nobody is). */
    public String leaseToken;
    public Instant leaseUntil;
    public List<AttemptRecord> attempts = new ArrayList<>();
    /**
     * Outcome events not yet published. While any waits the document also carries
     * {@link DeliveryRepository#RELAY_PENDING} (set and removed only by the repository's updates, so not a field
     * here: a new delivery has none, and the sparse index the outbox sweep reads holds only marked ones).
     */
    public List<PendingOutcome> pendingOutcomes = new ArrayList<>();

    public static String webhookIdOf(String runId) {
        return "msg_" + runId;
    }
}
