package dev.tollgate.credits.ledger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * An account written by the version before the sweep fields existed has an expired hold and facts the relay never
 * copied out, but none of the fields the sweeps look it up by. The one-off pass at start gives it them, and then the
 * ordinary sweeps finish its work.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class SweepFieldsMigrationTest {

    @Inject
    AccountRepository store;

    @Inject
    LedgerService ledger;

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    @Test
    void anAccountFromTheOlderLayoutIsFoundBySweepsOnceMigrated() {
        String user = "legacy-" + UUID.randomUUID();
        String abandoned = "legacy-abandoned-" + UUID.randomUUID();
        String bought = "legacy-bought-" + UUID.randomUUID();
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        Account granted = Account.empty(user).grant("g-" + user, "k", 100, "admin_grant", Map.of(), null, longAgo)
                .after();
        Account.Change captured = granted.placeHold(bought, 30, Duration.ofMinutes(10), longAgo).after()
                .capture(bought, longAgo);
        Account withExpiredHold = captured.after().placeHold(abandoned, 50, Duration.ofMinutes(1), longAgo).after();
        Document older = AccountDocuments.newAccount(withExpiredHold, captured.transactions(), captured.settledHolds());
        older.remove(AccountDocuments.NEXT_HOLD_EXPIRY);
        older.remove(AccountDocuments.NEXT_GRANT_EXPIRY);
        older.remove(AccountDocuments.OUTBOX_PENDING);
        store.accounts().insertOne(older);

        assertFalse(store.accountsWithHoldsExpiredBy(Instant.now(), 100_000).contains(user));
        assertFalse(store.accountsWithPendingFacts(100_000).contains(user));

        mongo.getDatabase(database).getCollection("migrations").deleteMany(Filters.empty());
        store.addSweepFieldsToOlderAccounts();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertEquals(HoldState.RELEASED, ledger.hold(user, abandoned).state());
            assertEquals(HoldState.CAPTURED, store.settledHold(bought).orElseThrow().state());
            assertEquals(List.of(), store.load(user).pendingTransactions());
        });
        assertEquals(70, store.load(user).account().available(Instant.now()));
    }
}
