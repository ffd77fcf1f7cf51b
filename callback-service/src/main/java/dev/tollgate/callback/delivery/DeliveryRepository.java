package dev.tollgate.callback.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDocumentWrapper;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.Codec;
import org.bson.conversions.Bson;

/**
 * Deliveries in MongoDB. Every state change is a conditional update of one document, and batches of them travel
 * in one round trip (an unordered insert of a Kafka batch's deliveries, most with their first attempt made already,
 * the others claimed for the attempt still under way; a bulk write of the
 * due poll's claims; a bulk write removing many relayed outcomes): claiming an attempt (only a due, unclaimed,
 * pending delivery), recording it (only by the claim's holder), restarting it (only when it has ended). Every query here is served by {@code _id} or by an index {@link DeliveryIndexes} declares, so what it
 * reads does not grow with the deliveries that ended long ago.
 */
@ApplicationScoped
public class DeliveryRepository implements PanacheMongoRepositoryBase<Delivery, String> {

    private volatile MongoCollection<Delivery> collection;

    /**
     * The deliveries collection, looked up once: Panache's {@code mongoCollection()} resolves the client bean and
     * database anew on every call (2-3 % of this service's samples on the delivery path); a driver collection is
     * immutable and thread-safe.
     */
    MongoCollection<Delivery> collection() {
        MongoCollection<Delivery> c = collection;
        if (c == null) {
            c = mongoCollection();
            collection = c;
        }
        return c;
    }

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

    /** Which of these runs have their delivery already (one read by {@code _id}). */
    public Set<String> existing(List<String> runIds) {
        return runIds.isEmpty() ? Set.of() : idsMatching(Filters.in("_id", runIds));
    }

    /** The run ids of the deliveries matching {@code filter}, read without the documents. */
    private Set<String> idsMatching(Bson filter) {
        Set<String> ids = new HashSet<>();
        collection().withDocumentClass(Document.class).find(filter).projection(Projections.include("_id"))
                .forEach(d -> ids.add(d.getString("_id")));
        return ids;
    }

    /**
     * Stores a batch of new deliveries in one unordered insert; the runs that already had one (replayed events)
     * are left as they are. Returns the deliveries stored by this call, in order. A delivery may come with a claim
     * ({@code leaseToken}, {@code leaseUntil}: stored claimed, it needs no claim of its own before its first attempt)
     * or with its first attempt made and its outcome waiting ({@code attempts}, {@code pendingOutcomes}: marked
     * {@link #RELAY_PENDING} in the same insert). {@code retried}: an earlier call with these same deliveries failed,
     * so it may have stored some of them already; those are recognised by their claim token or their first attempt's
     * time (one read, only then) and returned as stored here.
     */
    public List<Delivery> createAll(List<Delivery> batch, boolean retried) {
        if (batch.isEmpty()) {
            return List.of();
        }
        // Encoded once, as the driver would encode the entity; a BsonDocumentWrapper would be encoded twice (the
        // driver's look for an _id unwraps it into a document, which is then encoded again). Only a delivery that
        // needs the relay's mark is built as a document, to add it.
        Codec<Delivery> codec = collection().getCodecRegistry().get(Delivery.class);
        List<BsonDocument> documents = new ArrayList<>(batch.size());
        for (Delivery d : batch) {
            documents.add(d.pendingOutcomes == null || d.pendingOutcomes.isEmpty() ? new RawBsonDocument(d, codec)
                    : BsonDocumentWrapper.asBsonDocument(d, collection().getCodecRegistry())
                            .append(RELAY_PENDING, BsonBoolean.TRUE));
        }
        Set<Integer> duplicates = new HashSet<>();
        try {
            collection().withDocumentClass(BsonDocument.class).insertMany(documents,
                    new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            for (BulkWriteError error : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                duplicates.add(error.getIndex());
            }
            if (e.getWriteConcernError() != null) {
                throw e;
            }
        }
        Set<String> oursFromBefore = Set.of();
        if (retried && !duplicates.isEmpty()) {
            List<Bson> ours = new ArrayList<>();
            for (int i : duplicates) {
                Delivery d = batch.get(i);
                if (d.leaseToken != null) {
                    ours.add(Filters.and(Filters.eq("_id", d.runId), Filters.eq("leaseToken", d.leaseToken)));
                } else if (!d.attempts.isEmpty()) {
                    ours.add(Filters.and(Filters.eq("_id", d.runId),
                            Filters.eq("attempts.attemptedAt", Date.from(d.attempts.getFirst().attemptedAt))));
                }
            }
            if (!ours.isEmpty()) {
                oursFromBefore = idsMatching(Filters.or(ours));
            }
        }
        List<Delivery> created = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            if (!duplicates.contains(i) || oursFromBefore.contains(batch.get(i).runId)) {
                created.add(batch.get(i));
            }
        }
        return created;
    }

    /**
     * Takes the right to make the next attempt, until {@code leaseUntil}. Null unless the delivery is pending, due,
     * and nobody else holds an unexpired claim. A claim this token already holds is renewed (an attempt that waited
     * in its lane for much of its lease takes a fresh one before posting).
     */
    public Delivery claim(String runId, String leaseToken, Instant now, Instant leaseUntil) {
        Bson free = Filters.or(Filters.eq("leaseUntil", null), Filters.lte("leaseUntil", Date.from(now)),
                Filters.eq("leaseToken", leaseToken));
        return collection().findOneAndUpdate(
                Filters.and(Filters.eq("_id", runId), Filters.eq("status", DeliveryStatus.PENDING.name()),
                        Filters.lte("nextAttemptAt", Date.from(now)), free),
                Updates.combine(Updates.set("leaseToken", leaseToken), Updates.set("leaseUntil", Date.from(leaseUntil))),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    }

    /**
     * Claims due deliveries in a batch: one query finds the due, unclaimed ones (the longest-waiting first, those
     * {@code wanted} accepts), then one unordered bulk write claims each on the condition that it is still exactly
     * as read (pending, due, unclaimed, the same number of attempts made), so a delivery another replica claimed or
     * attempted meanwhile is not taken. Only when some of those conditions failed does a read by claim token tell
     * which were taken. Returns the claimed deliveries as read, holding the claim; without their attempts and
     * outcomes, which an attempt does not need.
     */
    public List<Delivery> claimDue(Instant now, int limit, Predicate<Due> wanted, String leaseToken,
            Instant leaseUntil) {
        Date at = Date.from(now);
        Bson free = Filters.or(Filters.eq("leaseUntil", null), Filters.lte("leaseUntil", at));
        List<Delivery> found = new ArrayList<>();
        collection()
                .find(Filters.and(Filters.eq("status", DeliveryStatus.PENDING.name()), Filters.lte("nextAttemptAt", at),
                        free))
                .projection(Projections.exclude("attempts", "pendingOutcomes"))
                .sort(Sorts.ascending("nextAttemptAt"))
                .limit(limit)
                .forEach(d -> {
                    if (wanted.test(new Due(d.runId, d.lane))) {
                        found.add(d);
                    }
                });
        if (found.isEmpty()) {
            return List.of();
        }
        Bson claim = Updates.combine(Updates.set("leaseToken", leaseToken), Updates.set("leaseUntil",
                Date.from(leaseUntil)));
        List<WriteModel<Delivery>> claims = new ArrayList<>(found.size());
        for (Delivery d : found) {
            claims.add(new UpdateOneModel<>(Filters.and(Filters.eq("_id", d.runId),
                    Filters.eq("status", DeliveryStatus.PENDING.name()), Filters.lte("nextAttemptAt", at), free,
                    Filters.eq("attemptsMade", d.attemptsMade)), claim));
        }
        int matched = collection().bulkWrite(claims, new BulkWriteOptions().ordered(false)).getMatchedCount();
        List<Delivery> claimed = found;
        if (matched < found.size()) {
            Set<String> taken = idsMatching(Filters.and(Filters.in("_id", found.stream().map(d -> d.runId).toList()),
                    Filters.eq("leaseToken", leaseToken)));
            claimed = found.stream().filter(d -> taken.contains(d.runId)).toList();
        }
        for (Delivery d : claimed) {
            d.leaseToken = leaseToken;
            d.leaseUntil = leaseUntil;
        }
        return claimed;
    }

    /** Gives up claims this process holds but will not use now (no room in the lane), so any replica may take them. */
    public void release(List<String> runIds, String leaseToken) {
        if (!runIds.isEmpty()) {
            collection().updateMany(Filters.and(Filters.in("_id", runIds), Filters.eq("leaseToken", leaseToken)),
                    Updates.combine(Updates.set("leaseToken", null), Updates.set("leaseUntil", null)));
        }
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
        return collection().updateOne(Filters.and(Filters.eq("_id", runId), Filters.eq("leaseToken", leaseToken)),
                Updates.combine(sets)).getModifiedCount() == 1;
    }

    /**
     * Starts an ended (delivered or failed) delivery over: a new round of the retry schedule from now. Null if there
     * is no such delivery or it is still pending.
     */
    public Delivery restart(String runId, Instant firstAttemptAt) {
        return collection().findOneAndUpdate(
                Filters.and(Filters.eq("_id", runId), Filters.ne("status", DeliveryStatus.PENDING.name())),
                Updates.combine(Updates.set("status", DeliveryStatus.PENDING.name()), Updates.set("roundAttempts", 0),
                        Updates.set("nextAttemptAt", Date.from(firstAttemptAt))),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    }

    /**
     * Brings a pending delivery's next attempt forward to {@code now} (an operator's "redeliver" after a receiver
     * outage, instead of waiting minutes or hours for the retry schedule), unless an attempt holds its claim right
     * now. Null if there is no such delivery, it is not pending, or an attempt holds it. The attempt still needs its
     * claim, so a timer or a poll that wakes for the same delivery cannot make a second attempt at once.
     */
    public Delivery attemptNow(String runId, Instant now) {
        Date at = Date.from(now);
        return collection().findOneAndUpdate(
                Filters.and(Filters.eq("_id", runId), Filters.eq("status", DeliveryStatus.PENDING.name()),
                        Filters.or(Filters.eq("leaseUntil", null), Filters.lte("leaseUntil", at))),
                Updates.set("nextAttemptAt", at), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    }

    /**
     * Deliveries whose {@code pendingOutcomes} may hold outcomes not yet published (what a crash between recording an
     * attempt and relaying its outcome left), with those outcomes, by the sparse index on {@link #RELAY_PENDING}.
     */
    public Map<String, List<PendingOutcome>> withUnrelayedOutcomes(int limit) {
        Map<String, List<PendingOutcome>> waiting = new LinkedHashMap<>();
        collection().find(Filters.eq(RELAY_PENDING, true))
                .projection(Projections.include("pendingOutcomes")).limit(limit)
                .forEach(d -> waiting.put(d.runId, d.pendingOutcomes == null ? List.of() : d.pendingOutcomes));
        return waiting;
    }

    /**
     * Removes published outcomes, many deliveries in one bulk write. Usually nothing was appended since: per delivery
     * one update, conditional on the list being exactly the outcomes published, empties it and removes the
     * {@link #RELAY_PENDING} mark. If any delivery's list differed (an attempt appended an outcome meanwhile, or the
     * sweep and the relay raced), an ordered bulk write does, per delivery, a {@code $pull} of exactly the published
     * outcome ids (an outcome appended meanwhile stays; a no-op where the first write emptied the list), then removes
     * the mark on the condition that nothing waits any more (so an outcome appended meanwhile, which set the mark
     * again, keeps it). A delivery listed with no outcomes only has its mark checked: a relay that stopped between the
     * two left the mark behind, and the sweep must not find it forever. The outcomes compare equal to the stored ones
     * because the attempt's update encoded them with this collection's codec too. Returns how many bulk writes it
     * issued.
     */
    public int removeRelayed(Map<String, List<PendingOutcome>> publishedByRun) {
        if (publishedByRun.isEmpty()) {
            return 0;
        }
        List<WriteModel<Delivery>> exact = new ArrayList<>(publishedByRun.size());
        publishedByRun.forEach((runId, published) -> {
            if (!published.isEmpty()) {
                exact.add(new UpdateOneModel<>(Filters.and(Filters.eq("_id", runId),
                        Filters.eq("pendingOutcomes", published)), Updates.combine(
                                Updates.set("pendingOutcomes", List.of()), Updates.unset(RELAY_PENDING))));
            }
        });
        int writes = 0;
        if (exact.size() == publishedByRun.size()) {
            writes++;
            if (collection().bulkWrite(exact, new BulkWriteOptions().ordered(false)).getMatchedCount()
                    == exact.size()) {
                return writes;
            }
        }
        List<WriteModel<Delivery>> pullAndUnmark = new ArrayList<>(publishedByRun.size() * 2);
        publishedByRun.forEach((runId, published) -> {
            if (!published.isEmpty()) {
                pullAndUnmark.add(new UpdateOneModel<>(Filters.eq("_id", runId), Updates.pull("pendingOutcomes",
                        Filters.in("_id", published.stream().map(o -> o.id).toList()))));
            }
            pullAndUnmark.add(new UpdateOneModel<>(Filters.and(Filters.eq("_id", runId),
                    Filters.size("pendingOutcomes", 0), Filters.eq(RELAY_PENDING, true)), Updates.unset(RELAY_PENDING)));
        });
        collection().bulkWrite(pullAndUnmark, new BulkWriteOptions().ordered(true));
        return writes + 1;
    }

    /** Newest first: by the index on {@code createdAt}, or on {@code (status, createdAt)} for one status. */
    public List<Delivery> list(DeliveryStatus status, int limit) {
        Bson filter = status == null ? new Document() : Filters.eq("status", status.name());
        return collection().find(filter).sort(Sorts.descending("createdAt")).limit(limit)
                .into(new ArrayList<>());
    }
}
