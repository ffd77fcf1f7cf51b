package dev.tollgate.credits.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;

/**
 * Checks the ledger's books straight from its database, after a load: for every user, the sum of all transactions
 * (copied out or still pending in the account) equals the remaining credit of the grants plus credit on hold;
 * nothing is negative; no hold is left open; and every hold a client was told about ended as it was told.
 */
public final class LedgerInvariants {

    private LedgerInvariants() {
    }

    public static void assertBooksBalance(MongoClient mongo, Collection<String> users) {
        MongoDatabase db = mongo.getDatabase("tollgate-credits");
        for (String user : users) {
            Document account = db.getCollection("accounts").find(Filters.eq("_id", user)).first();
            if (account == null) {
                continue;
            }
            Map<String, Long> txs = new HashMap<>();
            db.getCollection("transactions").find(Filters.eq("userId", user))
                    .forEach(t -> txs.put(t.getString("_id"), t.getLong("amount")));
            for (Document pending : account.getList("pendingTransactions", Document.class, List.of())) {
                txs.put(pending.getString("id"), pending.getLong("amount"));
            }
            long txSum = txs.values().stream().mapToLong(Long::longValue).sum();
            long remaining = 0;
            for (Document g : account.getList("grants", Document.class)) {
                long r = g.getLong("remaining");
                assertTrue(r >= 0 && r <= g.getLong("amount"), "grant out of bounds: " + g.toJson());
                remaining += r;
            }
            long held = account.getList("holds", Document.class).stream().mapToLong(h -> h.getLong("amount")).sum();
            assertEquals(txSum, remaining + held, "books of " + user + ": transactions vs remaining + held");
        }
    }

    public static void assertNoOpenHolds(MongoClient mongo, Collection<String> users) {
        MongoDatabase db = mongo.getDatabase("tollgate-credits");
        for (String user : users) {
            Document account = db.getCollection("accounts").find(Filters.eq("_id", user)).first();
            if (account != null) {
                assertEquals(List.of(), account.getList("holds", Document.class), "open holds left for " + user);
            }
        }
    }

    /** What the ledger says happened to each hold matches every answer a client received. */
    public static void assertClientsWereToldTheTruth(MongoClient mongo, LedgerLoad.Result result) {
        MongoDatabase db = mongo.getDatabase("tollgate-credits");
        result.holds().forEach((holdId, told) -> {
            if (told == LedgerLoad.Outcome.UNKNOWN || told == LedgerLoad.Outcome.HELD) {
                return; // the client never learnt the outcome; the books check covers these
            }
            Document record = db.getCollection("holds").find(Filters.eq("_id", holdId)).first();
            String state = record == null ? pendingState(db, result.holdOwner().get(holdId), holdId) : record.getString("state");
            assertEquals(told.name(), state, "hold " + holdId);
        });
    }

    private static String pendingState(MongoDatabase db, String user, String holdId) {
        Document account = db.getCollection("accounts").find(Filters.eq("_id", user)).first();
        return account.getList("pendingHolds", Document.class, List.of()).stream()
                .filter(h -> holdId.equals(h.getString("id"))).map(h -> h.getString("state")).findFirst().orElse("MISSING");
    }
}
