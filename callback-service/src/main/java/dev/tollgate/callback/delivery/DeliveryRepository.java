package dev.tollgate.callback.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Deliveries in MongoDB. Every state change is one conditional update on one document: claiming an attempt
 * (only a due, unclaimed, pending delivery), recording it (only by the claim's holder), restarting it (only when it
 * has ended).
 */
@ApplicationScoped
public class DeliveryRepository implements PanacheMongoRepositoryBase<Delivery, String> {

    /** The attempts a delivery document keeps (the newest); a redelivered-forever delivery stays bounded. */
    static final int KEPT_ATTEMPTS = 100;

    /** A due delivery, as the scheduler needs it: which one, and which receiver's lane it queues in. */
    public record Due(String runId, String lane) {
    }

    /** Stores a new delivery; false if the run already has one (a replayed or repeated lifecycle event). */
    public boolean createIfAbsent(Delivery delivery) {
        try {
            persist(delivery);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Takes the right to make the next attempt, until {@code leaseUntil}. Null unless the delivery is pending, due,
     * and nobody else holds an unexpired claim.
     */
    public Delivery claim(String runId, String leaseToken, Instant now, Instant leaseUntil) {
        Bson free = Filters.or(Filters.eq("leaseUntil", null), Filters.lte("leaseUntil", Date.from(now)));
        return mongoCollection().findOneAndUpdate(
                Filters.and(Filters.eq("_id", runId), Filters.eq("status", DeliveryStatus.PENDING.name()),
                        Filters.lte("nextAttemptAt", Date.from(now)), free),
                Updates.combine(Updates.set("leaseToken", leaseToken), Updates.set("leaseUntil", Date.from(leaseUntil))),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    }

    /**
     * Records a finished attempt and the outcome event announcing it, releasing the claim. False if the claim was
     * lost meanwhile (it expired and another replica took over): the other attempt's record stands.
     */
    public boolean record(String runId, String leaseToken, AttemptRecord attempt, int roundAttempts,
            PendingOutcome outcome) {
        List<Bson> sets = new ArrayList<>(List.of(
                Updates.set("status", attempt.result.name()),
                Updates.set("nextAttemptAt", attempt.nextAttemptAt == null ? null : Date.from(attempt.nextAttemptAt)),
                Updates.set("roundAttempts", roundAttempts),
                Updates.inc("attemptsMade", 1),
                Updates.set("leaseToken", null),
                Updates.set("leaseUntil", null),
                Updates.pushEach("attempts", List.of(attempt), new PushOptions().slice(-KEPT_ATTEMPTS)),
                Updates.push("pendingOutcomes", outcome)));
        if (attempt.result == DeliveryStatus.DELIVERED) {
            sets.add(Updates.set("deliveredAt", Date.from(attempt.attemptedAt)));
        }
        return mongoCollection().updateOne(Filters.and(Filters.eq("_id", runId), Filters.eq("leaseToken", leaseToken)),
                Updates.combine(sets)).getModifiedCount() == 1;
    }

    /** Pending deliveries whose next attempt is due and that nobody is attempting, the longest-waiting first. */
    public List<Due> due(Instant now, int limit) {
        List<Due> due = new ArrayList<>();
        mongoCollection().withDocumentClass(Document.class)
                .find(Filters.and(Filters.eq("status", DeliveryStatus.PENDING.name()),
                        Filters.lte("nextAttemptAt", Date.from(now)),
                        Filters.or(Filters.eq("leaseUntil", null), Filters.lte("leaseUntil", Date.from(now)))))
                .projection(Projections.include("lane"))
                .sort(Sorts.ascending("nextAttemptAt"))
                .limit(limit)
                .forEach(d -> due.add(new Due(d.getString("_id"), d.getString("lane"))));
        return due;
    }

    /**
     * Starts an ended (delivered or failed) delivery over: a new round of the retry schedule from now. Null if there
     * is no such delivery or it is still pending.
     */
    public Delivery restart(String runId, Instant firstAttemptAt) {
        return mongoCollection().findOneAndUpdate(
                Filters.and(Filters.eq("_id", runId), Filters.ne("status", DeliveryStatus.PENDING.name())),
                Updates.combine(Updates.set("status", DeliveryStatus.PENDING.name()), Updates.set("roundAttempts", 0),
                        Updates.set("nextAttemptAt", Date.from(firstAttemptAt))),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    }

    public List<Delivery> list(DeliveryStatus status, int limit) {
        Bson filter = status == null ? new Document() : Filters.eq("status", status.name());
        return mongoCollection().find(filter).sort(Sorts.descending("createdAt")).limit(limit)
                .into(new ArrayList<>());
    }
}
