package dev.tollgate.credits.ledger;

import static dev.tollgate.credits.api.LedgerClient.balance;
import static dev.tollgate.credits.api.LedgerClient.grant;
import static dev.tollgate.credits.api.LedgerClient.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import com.mongodb.client.MongoClient;
import dev.tollgate.credits.load.LedgerInvariants;
import dev.tollgate.credits.load.LedgerLoad;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Many concurrent clients, one conditional update at a time: nobody overdraws, nothing is lost or charged twice. In
 * one JVM the service serialises an account's writers in memory, so this does not race the account's version check;
 * {@code LedgerReplicasIT} does, with two processes on one store.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class LedgerConcurrencyTest {

    @TestHTTPResource("/")
    java.net.URL base;

    @Inject
    MongoClient mongo;

    @Inject
    OutboxRelayDrain drain;

    @Test
    void twentyFourClientsOnOneHotAccountNeverOverdraw() throws Exception {
        String user = newUser();
        grant(user, 3000, null).then().statusCode(201);
        LedgerLoad.Result result = load().run(List.of(user), 24, 30, 80, Duration.ofSeconds(60), new AtomicBoolean());

        long captured = result.holds().entrySet().stream()
                .filter(e -> e.getValue() == LedgerLoad.Outcome.CAPTURED).count();
        assertTrue(captured > 0, "the load should have captured something");
        assertTrue(result.holds().containsValue(LedgerLoad.Outcome.REFUSED)
                || result.holds().size() * 80 < 3000, "a contended account should refuse some holds");
        assertEquals(0, result.errors(), "no request may fail with a 5xx");
        long balance = balance(user);
        assertTrue(balance >= 0);

        drain.untilEmpty(List.of(user));
        LedgerInvariants.assertNoOpenHolds(mongo, List.of(user));
        LedgerInvariants.assertBooksBalance(mongo, List.of(user));
        LedgerInvariants.assertClientsWereToldTheTruth(mongo, result);
        assertEquals(balance, drain.transactionSum(user), "balance = sum of the user's transactions");
    }

    @Test
    void sixteenClientsSpreadOverManyAccounts() throws Exception {
        List<String> users = new ArrayList<>();
        IntStream.range(0, 40).forEach(i -> users.add(newUser()));
        users.forEach(u -> grant(u, 400, null).then().statusCode(201));
        LedgerLoad.Result result = load().run(users, 16, 40, 60, Duration.ofSeconds(60), new AtomicBoolean());

        assertEquals(0, result.errors());
        drain.untilEmpty(users);
        LedgerInvariants.assertNoOpenHolds(mongo, users);
        LedgerInvariants.assertBooksBalance(mongo, users);
        LedgerInvariants.assertClientsWereToldTheTruth(mongo, result);
        for (String u : users) {
            assertEquals(balance(u), drain.transactionSum(u));
        }
    }

    private LedgerLoad load() {
        String url = base.toString().replace("localhost", "127.0.0.1");
        return new LedgerLoad(url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
                TestTokens.service("load"));
    }
}
