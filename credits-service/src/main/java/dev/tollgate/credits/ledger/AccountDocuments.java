package dev.tollgate.credits.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bson.Document;

/**
 * Maps the ledger's records to and from BSON by hand: the account document is the unit of atomicity, so its exact
 * shape (field names, what is embedded) is spelled out here rather than left to a codec.
 */
final class AccountDocuments {

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

    static Document newAccount(Account a, List<LedgerTransaction> txs, List<HoldRecord> holds) {
        return new Document("_id", a.userId()).append("version", 1L).append("sequence", a.sequence())
                .append("grants", a.grants().stream().map(AccountDocuments::grant).toList())
                .append("holds", a.holds().stream().map(AccountDocuments::openHold).toList())
                .append("pendingTransactions", txs.stream().map(AccountDocuments::transaction).toList())
                .append("pendingHolds", holds.stream().map(AccountDocuments::holdRecord).toList());
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
