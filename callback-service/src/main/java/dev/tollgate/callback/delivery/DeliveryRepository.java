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
 * has ended). Every query here is served by {@code _id} or by an index {@link DeliveryIndexes} declares, so what it
 * reads does not grow with the deliveries that ended long ago.
 */
@ApplicationScoped
public class DeliveryRepository implements PanacheMongoRepositoryBase<Delivery, String> {

    /**
     * Set (to true) in the same update that appends to {@code pendingOutcomes}, and removed once that list is empty
     * again, so the outbox sweep finds the deliveries with unpublished outcomes through a sparse index holding only
     * those, instead of testing every delivery's array ({@code pendingOutcomes.0 $exists}, which no index serves).
     */
    public static final String RELAY_PENDING = "relayPending";

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
                Updates.push("pendingOutcomes", outcome),
                Updates.set(RELAY_PENDING, true)));
        if (attempt.result == DeliveryStatus.DELIVERED) {
            sets.add(Updates.set("deliveredAt", Date.from(attempt.attemptedAt)));
        }
        return mongoCollection().updateOne(Filters.and(Filters.eq("_id", runId), Filters.eq("leaseToken", leaseToken)),
                Updates.combine(sets)).getModifiedCount() == 1;
    }

    /**
     * Pending deliveries whose next attempt is due and that nobody is attempting, the longest-waiting first. The
     * index on {@code (status, nextAttemptAt)} yields the due pending ones in order; the lease condition is tested on
     * those only, so besides the answer this reads just the deliveries being attempted right now.
     */
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

    /**
     * Deliveries whose {@code pendingOutcomes} may hold outcomes not yet published (what a crash between recording an
     * attempt and relaying its outcome left), by the sparse index on {@link #RELAY_PENDING}.
     */
    public List<String> withUnrelayedOutcomes(int limit) {
        List<String> ids = new ArrayList<>();
        mongoCollection().withDocumentClass(Document.class).find(Filters.eq(RELAY_PENDING, true))
                .projection(Projections.include("_id")).limit(limit).forEach(d -> ids.add(d.getString("_id")));
        return ids;
    }

    /**
     * Removes the {@link #RELAY_PENDING} mark if no outcome waits any more. Conditional on the list being empty in the
     * same atomic update, so an outcome an attempt appended meanwhile (which set the mark again) keeps it.
     */
    public void unmarkRelayPendingIfDrained(String runId) {
        mongoCollection().updateOne(Filters.and(Filters.eq("_id", runId), Filters.size("pendingOutcomes", 0),
                Filters.eq(RELAY_PENDING, true)), Updates.unset(RELAY_PENDING));
    }

    /** Newest first: by the index on {@code createdAt}, or on {@code (status, createdAt)} for one status. */
    public List<Delivery> list(DeliveryStatus status, int limit) {
        Bson filter = status == null ? new Document() : Filters.eq("status", status.name());
        return mongoCollection().find(filter).sort(Sorts.descending("createdAt")).limit(limit)
                .into(new ArrayList<>());
    }
}
