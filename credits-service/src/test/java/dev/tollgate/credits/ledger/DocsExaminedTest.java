package dev.tollgate.credits.ledger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.InsertManyOptions;
import dev.tollgate.credits.outbox.OutboxRelay;
import dev.tollgate.credits.sweeps.LedgerSweeps;
import dev.tollgate.localstack.testing.DocsExamined;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each ledger operation and sweep reads only the documents it works on, however much history the store holds: the
 * collections are first filled with {@value #HISTORY} unrelated documents each (other users' accounts with open
 * holds and expiring grants, their transactions and settled holds), then every operation runs through the service's
 * own code while the store counts the documents it examines. A query that no index serves reads every document of
 * its collection, so it would exceed the small bounds below by thousands.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@TestProfile(DocsExaminedTest.SweepsOnDemand.class)
class DocsExaminedTest {

    /** The scheduler is off so that the test runs each sweep itself and no timer adds reads to a measurement. */
    public static class SweepsOnDemand implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "false");
        }
    }

    static final int HISTORY = 10_000;

    /**
     * What one operation on one account may read: the account (read, then its conditional write), the hold or
     * transaction it looks up by id, and the relay's copy of the facts it produced (account, copies, removal).
     */
    static final long ONE_ACCOUNT = 10;

    /** The user whose own history is longer than the largest page. */
    static final int OWN_TRANSACTIONS = 600;

    private static String historyUser;

    @Inject
    LedgerService ledger;

    @Inject
    AccountRepository store;

    @Inject
    OutboxRelay relay;

    @Inject
    LedgerSweeps sweeps;

    @Inject
    OutboxRelayDrain drain;

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    @BeforeEach
    void fillTheStoreWithOtherUsersHistoryOnce() {
        synchronized (DocsExaminedTest.class) {
            if (historyUser == null) {
                historyUser = seedHistory();
            }
        }
    }

    @Test
    void placingCapturingAndReleasingHoldsReadsOnlyTheAccount() {
        String user = userWithCredits(1_000);
        String captureId = id("order");
        String releaseId = id("order");

        var held = measure(() -> ledger.placeHold(user, captureId, 100, Duration.ofMinutes(10)));
        assertEquals(HoldState.HELD, held.result().state());
        assertSmall("hold", held.docsExamined(), ONE_ACCOUNT);

        var captured = measure(() -> ledger.capture(user, captureId));
        assertEquals(HoldState.CAPTURED, captured.result().state());
        assertSmall("capture", captured.docsExamined(), ONE_ACCOUNT);
        drain.untilEmpty(List.of(user));

        ledger.placeHold(user, releaseId, 40, Duration.ofMinutes(10));
        var released = measure(() -> ledger.release(user, releaseId, "cancelled"));
        assertEquals(HoldState.RELEASED, released.result().state());
        assertSmall("release", released.docsExamined(), ONE_ACCOUNT);
        drain.untilEmpty(List.of(user));

        // A settled hold is answered from the holds collection, by id.
        var status = measure(() -> ledger.hold(user, captureId));
        assertEquals(HoldState.CAPTURED, status.result().state());
        assertSmall("hold status", status.docsExamined(), ONE_ACCOUNT);

        var repeat = measure(() -> ledger.capture(user, captureId));
        assertEquals(HoldState.CAPTURED, repeat.result().state());
        assertSmall("repeated capture", repeat.docsExamined(), ONE_ACCOUNT);
    }

    @Test
    void grantingAndRevokingReadOnlyTheAccount() {
        String user = userWithCredits(1_000);

        var granted = measure(() -> ledger.grant(user, UUID.randomUUID().toString(), 500, "admin_grant", Map.of(), null));
        assertTrue(granted.result().created());
        assertSmall("grant", granted.docsExamined(), ONE_ACCOUNT);
        drain.untilEmpty(List.of(user));

        // The grant's owner is found through the multikey index on grants.id.
        String grantId = granted.result().grant().id();
        var revoked = measure(() -> ledger.revoke(grantId, UUID.randomUUID().toString(), 200L));
        assertEquals(-200, revoked.result().amount());
        assertSmall("revoke", revoked.docsExamined(), ONE_ACCOUNT);
        drain.untilEmpty(List.of(user));
    }

    @Test
    void balanceReadsOnlyTheAccount() {
        String user = userWithCredits(750);

        var balance = measure(() -> given().auth().oauth2(TestTokens.user(user)).get("/credits/balance")
                .then().statusCode(200).extract().jsonPath().getLong("data.balance"));
        assertEquals(750, balance.result());
        assertSmall("balance", balance.docsExamined(), 2);
    }

    /**
     * History has no cursor, only {@code limit}: the first page is a small limit, and the furthest a caller can page
     * back is the largest limit. Either reads the account and that many of the user's own transactions, newest
     * first, through the (userId, sequence) index.
     */
    @Test
    void historyReadsOnlyThePageItReturns() {
        var first = measure(() -> history(historyUser, 10));
        assertEquals(10, first.result().getList("data.transactions").size());
        assertEquals(ownPurchase(OWN_TRANSACTIONS - 1), first.result().getString("data.transactions[0]._id"));
        assertSmall("history, first page", first.docsExamined(), 1 + 10 + 2);

        var deepest = measure(() -> history(historyUser, 500));
        List<String> ids = deepest.result().getList("data.transactions._id");
        assertEquals(500, ids.size());
        assertEquals(ownPurchase(OWN_TRANSACTIONS - 500), ids.getLast());
        assertSmall("history, 500 deep", deepest.docsExamined(), 1 + 500 + 2);
    }

    @Test
    void theExpiredHoldSweepReadsOnlyAccountsWithAnExpiredHold() {
        sweeps.releaseExpiredHolds(); // whatever earlier test classes left due: only this test's hold is due next
        String user = userWithCredits(100);
        String holdId = id("abandoned");
        HoldRecord hold = ledger.placeHold(user, holdId, 60, Duration.ofMillis(200));
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(hold.expiresAt()));

        long examined = DocsExamined.during(db(), () -> sweeps.releaseExpiredHolds());

        HoldRecord after = ledger.hold(user, holdId);
        assertEquals(HoldState.RELEASED, after.state());
        assertEquals("expired", after.reason());
        // the sweep's query finds the one account; releasing reads it twice (list, then release) and writes it
        assertSmall("expired-hold sweep", examined, ONE_ACCOUNT);
        drain.untilEmpty(List.of(user));

        long idle = DocsExamined.during(db(), () -> sweeps.releaseExpiredHolds());
        assertSmall("expired-hold sweep with nothing due", idle, 1);
    }

    @Test
    void theGrantExpirySweepReadsOnlyAccountsWithAnExpiredGrant() {
        sweeps.expireGrants();
        String user = id("docs-examined");
        Instant soon = Instant.now().plusMillis(200);
        ledger.grant(user, UUID.randomUUID().toString(), 80, "admin_grant", Map.of(), soon);
        drain.untilEmpty(List.of(user));
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(soon));

        long examined = DocsExamined.during(db(), () -> sweeps.expireGrants());

        drain.untilEmpty(List.of(user));
        assertEquals(List.of(TransactionType.EXPIRATION, TransactionType.GRANT),
                store.recentTransactions(user, 10).stream().map(LedgerTransaction::type).toList());
        assertSmall("grant-expiry sweep", examined, ONE_ACCOUNT);

        long idle = DocsExamined.during(db(), () -> sweeps.expireGrants());
        assertSmall("grant-expiry sweep with nothing due", idle, 1);
    }

    /**
     * The relay's two ways in: the flush right after a change, and the sweep for facts a crash left behind. The
     * facts are written with the store's own conditional write and no flush scheduled, as a crash would leave them.
     */
    @Test
    void theOutboxRelayAndItsSweepReadOnlyAccountsWithPendingFacts() {
        relay.sweep(); // whatever earlier test classes left pending
        String flushedHold = id("relayed");
        String flushed = userWithPendingCapture(flushedHold);
        long flushExamined = DocsExamined.during(db(), () -> relay.flush(flushed));
        assertRelayed(flushed, flushedHold);
        assertSmall("outbox flush", flushExamined, ONE_ACCOUNT);

        String sweptHold = id("swept");
        String swept = userWithPendingCapture(sweptHold);
        assertEquals(List.of(swept), store.accountsWithPendingFacts(1000));
        long sweepExamined = DocsExamined.during(db(), () -> relay.sweep());
        assertRelayed(swept, sweptHold);
        assertSmall("outbox sweep", sweepExamined, ONE_ACCOUNT);

        long idle = DocsExamined.during(db(), () -> relay.sweep());
        assertSmall("outbox sweep with nothing pending", idle, 0);
    }

    private String userWithPendingCapture(String holdId) {
        String user = userWithCredits(100);
        ledger.placeHold(user, holdId, 30, Duration.ofMinutes(10));
        AccountRepository.Snapshot snapshot = store.load(user);
        assertTrue(store.compareAndSet(snapshot.account(), snapshot.account().capture(holdId, Instant.now())));
        assertTrue(store.load(user).outboxPending());
        return user;
    }

    private void assertRelayed(String user, String holdId) {
        AccountRepository.Snapshot after = store.load(user);
        assertEquals(List.of(), after.pendingTransactions());
        assertEquals(List.of(), after.pendingHolds());
        assertFalse(after.outboxPending(), "the flag is cleared with the facts it announced");
        assertTrue(store.storedTransaction("purchase:" + holdId).isPresent());
        assertEquals(HoldState.CAPTURED, store.settledHold(holdId).orElseThrow().state());
    }

    /** A new user with credit, its grant already relayed, so that the next measurement is of one operation only. */
    private String userWithCredits(long credits) {
        String user = id("docs-examined");
        ledger.grant(user, UUID.randomUUID().toString(), credits, "admin_grant", Map.of(), null);
        drain.untilEmpty(List.of(user));
        return user;
    }

    private static JsonPath history(String user, int limit) {
        return given().auth().oauth2(TestTokens.user(user)).queryParam("limit", limit).get("/credits/history")
                .then().statusCode(200).extract().jsonPath();
    }

    private <T> DocsExamined.Measured<T> measure(Supplier<T> operation) {
        return DocsExamined.measure(db(), operation);
    }

    private static void assertSmall(String operation, long examined, long bound) {
        assertTrue(examined <= bound, operation + " examined " + examined + " documents (at most " + bound
                + " expected; the store holds " + HISTORY + "+ unrelated ones per collection)");
    }

    private MongoDatabase db() {
        return mongo.getDatabase(database);
    }

    /**
     * Writes other users' state straight into the collections, in the service's own document layout: accounts that
     * each have an open hold and an expiring grant that are not yet due (so the sweeps' indexes hold them, outside
     * the range asked for), and their transactions and settled holds. One more user gets a history longer than the
     * largest page.
     */
    private String seedHistory() {
        Instant now = Instant.now();
        List<Document> accounts = new ArrayList<>();
        List<Document> transactions = new ArrayList<>();
        List<Document> holds = new ArrayList<>();
        String run = UUID.randomUUID().toString();
        for (int i = 0; i < HISTORY; i++) {
            String user = "other-" + run + "-" + i;
            Account.Change granted = Account.empty(user).grant("g-" + run + "-" + i, "k-" + i, 1_000, "admin_grant",
                    Map.of(), now.plus(Duration.ofDays(30)), now);
            Account a = granted.after().placeHold("open-" + run + "-" + i, 10, Duration.ofHours(1), now).after();
            Account.Change captured = a.placeHold("done-" + run + "-" + i, 5, Duration.ofHours(1), now).after()
                    .capture("done-" + run + "-" + i, now);
            accounts.add(AccountDocuments.newAccount(captured.after(), List.of(), List.of()));
            transactions.add(collectionDocument(granted.transactions().getFirst()));
            holds.add(AccountDocuments.asCollectionDocument(
                    AccountDocuments.holdRecord(captured.settledHolds().getFirst())));
        }

        String user = "history-" + run;
        Account a = Account.empty(user).grant("g-" + run, "k", 1_000_000, "admin_grant", Map.of(), null, now).after();
        for (int i = 0; i < OWN_TRANSACTIONS; i++) {
            Account.Change captured = a.placeHold(ownHold(user, i), 1, Duration.ofHours(1), now).after()
                    .capture(ownHold(user, i), now);
            transactions.add(collectionDocument(captured.transactions().getFirst()));
            a = captured.after();
        }
        accounts.add(AccountDocuments.newAccount(a, List.of(), List.of()));

        insert(store.accounts(), accounts);
        insert(store.transactions(), transactions);
        insert(store.holds(), holds);
        return user;
    }

    private static String ownHold(String user, int i) {
        return user + "-own-" + i;
    }

    private static String ownPurchase(int i) {
        return "purchase:" + ownHold(historyUser, i);
    }

    private static Document collectionDocument(LedgerTransaction t) {
        return AccountDocuments.asCollectionDocument(AccountDocuments.transaction(t));
    }

    private static void insert(MongoCollection<Document> collection, List<Document> documents) {
        for (int from = 0; from < documents.size(); from += 1_000) {
            collection.insertMany(documents.subList(from, Math.min(from + 1_000, documents.size())),
                    new InsertManyOptions().ordered(false));
        }
    }

    /** Hold ids are order ids, unique across users: each test makes its own. */
    private static String id(String name) {
        return name + "-" + UUID.randomUUID();
    }
}
