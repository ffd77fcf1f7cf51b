package dev.tollgate.credits.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Maps the ledger's records to and from BSON by hand: the account document is the unit of atomicity, so its exact
 * shape (field names, what is embedded) is spelled out here rather than left to a codec.
 */
final class AccountDocuments {

    /*
     * Top-level fields derived from the account, written in the same update as the state they summarise. The sweeps
     * look accounts up by them through an index; the arrays they summarise cannot be searched that way without
     * $elemMatch/$exists, which read every account. Absent (not null) when there is nothing to find, so the sparse
     * indexes on them hold only the accounts a sweep may have to visit.
     */
    /** The soonest {@code expiresAt} of the open holds. */
    static final String NEXT_HOLD_EXPIRY = "nextHoldExpiry";
    /** The soonest {@code expiresAt} of the grants whose expiration is not yet written. */
    static final String NEXT_GRANT_EXPIRY = "nextGrantExpiry";
    /** {@code true} while the pending lists may hold facts the outbox relay has not copied out. */
    static final String OUTBOX_PENDING = "outboxPending";

    private AccountDocuments() {
    }

    static Account account(Document d) {
        return new Account(d.getString("_id"), d.getLong("version"), d.getLong("sequence"),
                list(d, "grants").stream().map(AccountDocuments::grant).toList(),
                list(d, "holds").stream().map(AccountDocuments::openHold).toList());
    }

    static List<LedgerTransaction> pendingTransactions(Document d) {
        return list(d, "pendingTransactions").stream().map(AccountDocuments::transaction).toList();
    }

    static List<HoldRecord> pendingHolds(Document d) {
        return list(d, "pendingHolds").stream().map(AccountDocuments::holdRecord).toList();
    }

    static boolean outboxPending(Document d) {
        return d.getBoolean(OUTBOX_PENDING, false);
    }

    static Document newAccount(Account a, List<LedgerTransaction> txs, List<HoldRecord> holds) {
        Document d = new Document("_id", a.userId()).append("version", 1L).append("sequence", a.sequence())
                .append("grants", a.grants().stream().map(AccountDocuments::grant).toList())
                .append("holds", a.holds().stream().map(AccountDocuments::openHold).toList())
                .append("pendingTransactions", txs.stream().map(AccountDocuments::transaction).toList())
                .append("pendingHolds", holds.stream().map(AccountDocuments::holdRecord).toList());
        nextHoldExpiry(a).ifPresent(at -> d.append(NEXT_HOLD_EXPIRY, date(at)));
        nextGrantExpiry(a).ifPresent(at -> d.append(NEXT_GRANT_EXPIRY, date(at)));
        if (!txs.isEmpty() || !holds.isEmpty()) {
            d.append(OUTBOX_PENDING, true);
        }
        return d;
    }

    /**
     * The update that stores an account's state: grants, open holds, sequence and the sweep fields derived from them.
     * Version and pending facts are the caller's business.
     */
    static List<Bson> stateUpdates(Account a) {
        List<Bson> updates = new ArrayList<>();
        updates.add(Updates.set("grants", a.grants().stream().map(AccountDocuments::grant).toList()));
        updates.add(Updates.set("holds", a.holds().stream().map(AccountDocuments::openHold).toList()));
        updates.add(Updates.set("sequence", a.sequence()));
        updates.add(setOrUnset(NEXT_HOLD_EXPIRY, nextHoldExpiry(a)));
        updates.add(setOrUnset(NEXT_GRANT_EXPIRY, nextGrantExpiry(a)));
        return updates;
    }

    /**
     * What an account document lacks of its sweep fields (empty when they are right), for documents written before
     * those fields existed.
     */
    static List<Bson> sweepFieldCorrections(Document d) {
        Account a = account(d);
        boolean pending = !pendingTransactions(d).isEmpty() || !pendingHolds(d).isEmpty();
        List<Bson> corrections = new ArrayList<>();
        correct(corrections, d, NEXT_HOLD_EXPIRY, nextHoldExpiry(a).map(Date::from).orElse(null));
        correct(corrections, d, NEXT_GRANT_EXPIRY, nextGrantExpiry(a).map(Date::from).orElse(null));
        correct(corrections, d, OUTBOX_PENDING, pending ? Boolean.TRUE : null);
        return corrections;
    }

    private static void correct(List<Bson> corrections, Document d, String field, Object expected) {
        if (!Objects.equals(d.get(field), expected)) {
            corrections.add(expected == null ? Updates.unset(field) : Updates.set(field, expected));
        }
    }

    /** When the expired-hold sweep has work on this account: its soonest-expiring open hold. */
    static Optional<Instant> nextHoldExpiry(Account a) {
        return a.holds().stream().map(OpenHold::expiresAt).min(Comparator.naturalOrder());
    }

    /** When the grant-expiry sweep has work on this account: a grant expiring whose expiration is not written. */
    static Optional<Instant> nextGrantExpiry(Account a) {
        return a.grants().stream().filter(g -> !g.expired() && g.expiresAt() != null).map(GrantState::expiresAt)
                .min(Comparator.naturalOrder());
    }

    private static Bson setOrUnset(String field, Optional<Instant> value) {
        return value.<Bson>map(at -> Updates.set(field, date(at))).orElseGet(() -> Updates.unset(field));
    }

    static Document grant(GrantState g) {
        return new Document("id", g.id()).append("idempotencyKey", g.idempotencyKey()).append("amount", g.amount())
                .append("remaining", g.remaining()).append("creditType", g.creditType())
                .append("sourceMetadata", new Document(g.sourceMetadata())).append("createdAt", date(g.createdAt()))
                .append("pooledAt", date(g.pooledAt())).append("expiresAt", date(g.expiresAt()))
                .append("expired", g.expired()).append("revocationKeys", g.revocationKeys());
    }

    static GrantState grant(Document d) {
        Document meta = d.get("sourceMetadata", Document.class);
        return new GrantState(d.getString("id"), d.getString("idempotencyKey"), d.getLong("amount"),
                d.getLong("remaining"), d.getString("creditType"), meta == null ? Map.of() : Map.copyOf(meta),
                instant(d, "createdAt"), instant(d, "pooledAt"), instant(d, "expiresAt"), d.getBoolean("expired", false),
                d.getList("revocationKeys", String.class, List.of()));
    }

    static Document openHold(OpenHold h) {
        return new Document("id", h.id()).append("amount", h.amount())
                .append("allocations", h.allocations().stream()
                        .map(a -> new Document("grantId", a.grantId()).append("credits", a.credits())).toList())
                .append("createdAt", date(h.createdAt())).append("expiresAt", date(h.expiresAt()));
    }

    static OpenHold openHold(Document d) {
        return new OpenHold(d.getString("id"), d.getLong("amount"),
                list(d, "allocations").stream().map(a -> new Allocation(a.getString("grantId"), a.getLong("credits")))
                        .toList(),
                instant(d, "createdAt"), instant(d, "expiresAt"));
    }

    static Document transaction(LedgerTransaction t) {
        return new Document("id", t.id()).append("userId", t.userId()).append("type", t.type().wireName())
                .append("amount", t.amount()).append("balanceAfter", t.balanceAfter()).append("sequence", t.sequence())
                .append("createdAt", date(t.createdAt())).append("grantId", t.grantId()).append("holdId", t.holdId());
    }

    static LedgerTransaction transaction(Document d) {
        return new LedgerTransaction(d.getString(d.containsKey("id") ? "id" : "_id"), d.getString("userId"),
                TransactionType.fromWire(d.getString("type")), d.getLong("amount"), d.getLong("balanceAfter"),
                d.getLong("sequence"), instant(d, "createdAt"), d.getString("grantId"), d.getString("holdId"));
    }

    static Document holdRecord(HoldRecord h) {
        return new Document("id", h.id()).append("userId", h.userId()).append("state", h.state().name())
                .append("amount", h.amount()).append("createdAt", date(h.createdAt()))
                .append("expiresAt", date(h.expiresAt())).append("settledAt", date(h.settledAt()))
                .append("reason", h.reason()).append("transactionId", h.transactionId());
    }

    static HoldRecord holdRecord(Document d) {
        return new HoldRecord(d.getString(d.containsKey("id") ? "id" : "_id"), d.getString("userId"),
                HoldState.valueOf(d.getString("state")), d.getLong("amount"), instant(d, "createdAt"),
                instant(d, "expiresAt"), instant(d, "settledAt"), d.getString("reason"), d.getString("transactionId"));
    }

    /** The form stored in its own collection: the record id becomes {@code _id}. */
    static Document asCollectionDocument(Document embedded) {
        Document copy = new Document(embedded);
        copy.put("_id", copy.remove("id"));
        return copy;
    }

    private static List<Document> list(Document d, String field) {
        List<Document> value = d.getList(field, Document.class);
        return value == null ? List.of() : new ArrayList<>(value);
    }

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }

    private static Instant instant(Document d, String field) {
        Date date = d.getDate(field);
        return date == null ? null : date.toInstant();
    }
}
