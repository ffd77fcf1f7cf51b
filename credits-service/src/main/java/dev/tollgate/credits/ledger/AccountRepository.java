package dev.tollgate.credits.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.tollgate.platform.store.IndexBootstrap;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.jboss.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The ledger's MongoDB collections. {@code accounts} is the source of truth (one document per user, changed only by
 * a conditional update on {@code version}); {@code transactions} and {@code holds} are durable copies of the facts
 * each account change produced, written by the {@link OutboxRelay} from the account's pending lists.
 */
@ApplicationScoped
public class AccountRepository {

    private static final Logger LOG = Logger.getLogger(AccountRepository.class);

    /** The {@code migrations} entry that says every account has the sweep fields of {@link AccountDocuments}. */
    private static final String SWEEP_FIELDS_MIGRATION = "accounts-sweep-fields";

    private final MongoClient mongo;
    private final String database;

    public AccountRepository(MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        this.mongo = mongo;
        this.database = database;
    }

    /**
     * An account as read, with the facts it produced that are not yet copied out. {@code fromStore} is false for the
     * copy {@link #afterWrite} builds in memory: good for deciding a change (that change's conditional write checks
     * the version), not for answering without writing.
     */
    public record Snapshot(Account account, List<LedgerTransaction> pendingTransactions, List<HoldRecord> pendingHolds,
            boolean outboxPending, boolean fromStore) {
        Optional<HoldRecord> pendingHold(String holdId) {
            return pendingHolds.stream().filter(h -> h.id().equals(holdId)).findFirst();
        }

        Optional<LedgerTransaction> pendingTransaction(String id) {
            return pendingTransactions.stream().filter(t -> t.id().equals(id)).findFirst();
        }
    }

    private final IndexBootstrap indexes = new IndexBootstrap("ledger", this::createIndexes);

    void createIndexesAtStart(@Observes StartupEvent start) {
        indexes.start();
    }

    void stopCreatingIndexes(@Observes ShutdownEvent stop) {
        indexes.stop();
    }

    /**
     * The indexes every query the service runs reads by (the README lists which serves which, "Indexes"), and the
     * one-time fix of accounts written before the sweep fields existed. A store that is down at start does not stop
     * the service (readiness reports it instead); {@link IndexBootstrap} tries again until it succeeds.
     */
    private void createIndexes() {
        transactions().createIndex(Indexes.compoundIndex(Indexes.ascending("userId"), Indexes.descending("sequence")));
        holds().createIndex(Indexes.ascending("userId"));
        accounts().createIndex(Indexes.ascending("grants.id"), new IndexOptions().sparse(true));
        accounts().createIndex(Indexes.ascending(AccountDocuments.NEXT_HOLD_EXPIRY), new IndexOptions().sparse(true));
        accounts().createIndex(Indexes.ascending(AccountDocuments.NEXT_GRANT_EXPIRY), new IndexOptions().sparse(true));
        accounts().createIndex(Indexes.ascending(AccountDocuments.OUTBOX_PENDING), new IndexOptions().sparse(true));
        addSweepFieldsToOlderAccounts();
    }

    public Snapshot load(String userId) {
        Document d = accounts().find(Filters.eq("_id", userId)).first();
        if (d == null) {
            return new Snapshot(Account.empty(userId), List.of(), List.of(), false, true);
        }
        return new Snapshot(AccountDocuments.account(d), AccountDocuments.pendingTransactions(d),
                AccountDocuments.pendingHolds(d), AccountDocuments.outboxPending(d), true);
    }

    /**
     * What {@link #load} returns right after {@code compareAndSet(before.account(), change)} succeeded, as long as
     * nobody else changed the account: built in memory through the same mapping as the stored document (so dates are
     * cut to the millisecond as the store cuts them), at the next version. Its pending lists may still name facts the
     * relay copied out since (the relay never bumps the version): facts never change, so deciding with them is right.
     */
    public Snapshot afterWrite(Snapshot before, Account.Change change) {
        List<LedgerTransaction> txs = new ArrayList<>(before.pendingTransactions());
        txs.addAll(change.transactions());
        List<HoldRecord> settled = new ArrayList<>(before.pendingHolds());
        settled.addAll(change.settledHolds());
        Document stored = AccountDocuments.newAccount(change.after(), txs, settled);
        stored.put("version", before.account().version() + 1);
        return new Snapshot(AccountDocuments.account(stored), AccountDocuments.pendingTransactions(stored),
                AccountDocuments.pendingHolds(stored), before.outboxPending() || !txs.isEmpty() || !settled.isEmpty(),
                false);
    }

    /**
     * Accounts written before the sweep fields existed have none, so no sweep would find them. Fills them in once
     * per database (one pass over {@code accounts}, remembered in {@code migrations}); a conditional write on the
     * version read, so an account changed meanwhile keeps what its own change wrote.
     */
    void addSweepFieldsToOlderAccounts() {
        if (migrations().find(Filters.eq("_id", SWEEP_FIELDS_MIGRATION)).first() != null) {
            return;
        }
        int updated = 0;
        for (Document d : accounts().find()) {
            List<Bson> corrections = AccountDocuments.sweepFieldCorrections(d);
            if (corrections.isEmpty()) {
                continue;
            }
            var result = accounts().updateOne(
                    Filters.and(Filters.eq("_id", d.get("_id")), Filters.eq("version", d.get("version"))),
                    Updates.combine(corrections));
            updated += (int) result.getModifiedCount();
        }
        migrations().replaceOne(Filters.eq("_id", SWEEP_FIELDS_MIGRATION),
                new Document("_id", SWEEP_FIELDS_MIGRATION).append("appliedAt", new Date()).append("accounts", updated),
                new ReplaceOptions().upsert(true));
        if (updated > 0) {
            LOG.infof("added the sweep fields to %d accounts written by an older version", updated);
        }
    }

    /**
     * Stores {@code change} if the account is still at the version it was read at. Returns false when another
     * writer got there first: the caller reloads and decides again.
     */
    public boolean compareAndSet(Account before, Account.Change change) {
        Account after = change.after();
        if (before.version() == 0) {
            try {
                accounts().insertOne(AccountDocuments.newAccount(after, change.transactions(), change.settledHolds()));
                return true;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                    return false;
                }
                throw e;
            }
        }
        List<Bson> updates = new ArrayList<>(AccountDocuments.stateUpdates(after));
        updates.add(Updates.inc("version", 1L));
        if (!change.transactions().isEmpty() || !change.settledHolds().isEmpty()) {
            updates.add(Updates.set(AccountDocuments.OUTBOX_PENDING, true));
        }
        if (!change.transactions().isEmpty()) {
            updates.add(Updates.pushEach("pendingTransactions",
                    change.transactions().stream().map(AccountDocuments::transaction).toList()));
        }
        if (!change.settledHolds().isEmpty()) {
            updates.add(Updates.pushEach("pendingHolds",
                    change.settledHolds().stream().map(AccountDocuments::holdRecord).toList()));
        }
        var result = accounts().updateOne(
                Filters.and(Filters.eq("_id", before.userId()), Filters.eq("version", before.version())),
                Updates.combine(updates));
        return result.getModifiedCount() == 1;
    }

    /** Copies pending facts to their collections (idempotent upserts), then the caller removes them. */
    public void copyOut(List<LedgerTransaction> txs, List<HoldRecord> holdRecords) {
        if (!txs.isEmpty()) {
            transactions().bulkWrite(txs.stream().map(t -> new ReplaceOneModel<>(Filters.eq("_id", t.id()),
                    AccountDocuments.asCollectionDocument(AccountDocuments.transaction(t)),
                    new ReplaceOptions().upsert(true))).toList());
        }
        if (!holdRecords.isEmpty()) {
            holds().bulkWrite(holdRecords.stream().map(h -> new ReplaceOneModel<>(Filters.eq("_id", h.id()),
                    AccountDocuments.asCollectionDocument(AccountDocuments.holdRecord(h)),
                    new ReplaceOptions().upsert(true))).toList());
        }
    }

    /**
     * Removes copied facts from the account. Touches only the pending lists and the outbox flag (never the version),
     * so it never conflicts with a change. The flag is cleared only if the account is still at the version the
     * facts were read at: every change that adds facts bumps the version, so then nothing else is pending. Otherwise
     * the flag stays and the flush that the newer change scheduled (or the sweep) clears it.
     */
    public void removePending(String userId, long versionRead, List<String> txIds, List<String> holdIds) {
        List<Bson> pulls = new ArrayList<>();
        if (!txIds.isEmpty()) {
            pulls.add(Updates.pull("pendingTransactions", Filters.in("id", txIds)));
        }
        if (!holdIds.isEmpty()) {
            pulls.add(Updates.pull("pendingHolds", Filters.in("id", holdIds)));
        }
        List<Bson> pullsAndClear = new ArrayList<>(pulls);
        pullsAndClear.add(Updates.unset(AccountDocuments.OUTBOX_PENDING));
        var cleared = accounts().updateOne(
                Filters.and(Filters.eq("_id", userId), Filters.eq("version", versionRead)),
                Updates.combine(pullsAndClear));
        if (cleared.getMatchedCount() == 0 && !pulls.isEmpty()) {
            accounts().updateOne(Filters.eq("_id", userId), Updates.combine(pulls));
        }
    }

    public Optional<HoldRecord> settledHold(String holdId) {
        return Optional.ofNullable(holds().find(Filters.eq("_id", holdId)).first()).map(AccountDocuments::holdRecord);
    }

    /** Records a refused hold so that repeating the request answers the same refusal. Never overwrites. */
    void recordRefusal(HoldRecord refused) {
        Document fields = AccountDocuments.holdRecord(refused);
        fields.remove("id"); // the filter's _id becomes the new document's id
        holds().updateOne(Filters.eq("_id", refused.id()), Updates.setOnInsert(fields),
                new UpdateOptions().upsert(true));
    }

    public Optional<LedgerTransaction> storedTransaction(String id) {
        return Optional.ofNullable(transactions().find(Filters.eq("_id", id)).first()).map(AccountDocuments::transaction);
    }

    /** A user's newest transactions from the collection (pending ones are merged in by the caller). */
    public List<LedgerTransaction> recentTransactions(String userId, int limit) {
        List<LedgerTransaction> result = new ArrayList<>();
        transactions().find(Filters.eq("userId", userId)).sort(Sorts.descending("sequence")).limit(limit)
                .forEach(d -> result.add(AccountDocuments.transaction(d)));
        return result;
    }

    public Optional<String> ownerOfGrant(String grantId) {
        Document d = accounts().find(Filters.eq("grants.id", grantId)).projection(new Document("_id", 1)).first();
        return Optional.ofNullable(d).map(x -> x.getString("_id"));
    }

    public List<String> accountsWithPendingFacts(int limit) {
        return ids(Filters.eq(AccountDocuments.OUTBOX_PENDING, true), limit);
    }

    public List<String> accountsWithHoldsExpiredBy(Instant now, int limit) {
        return ids(Filters.lte(AccountDocuments.NEXT_HOLD_EXPIRY, Date.from(now)), limit);
    }

    public List<String> accountsWithGrantsExpiredBy(Instant now, int limit) {
        return ids(Filters.lte(AccountDocuments.NEXT_GRANT_EXPIRY, Date.from(now)), limit);
    }

    private List<String> ids(Bson filter, int limit) {
        List<String> ids = new ArrayList<>();
        accounts().find(filter).projection(new Document("_id", 1)).limit(limit).forEach(d -> ids.add(d.getString("_id")));
        return ids;
    }

    MongoCollection<Document> accounts() {
        return mongo.getDatabase(database).getCollection("accounts");
    }

    MongoCollection<Document> transactions() {
        return mongo.getDatabase(database).getCollection("transactions");
    }

    MongoCollection<Document> holds() {
        return mongo.getDatabase(database).getCollection("holds");
    }

    /** One-off changes of the stored layout that have been applied to this database. */
    private MongoCollection<Document> migrations() {
        return mongo.getDatabase(database).getCollection("migrations");
    }
}
