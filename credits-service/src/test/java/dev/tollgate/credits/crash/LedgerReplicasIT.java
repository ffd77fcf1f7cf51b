package dev.tollgate.credits.crash;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.tollgate.credits.load.LedgerInvariants;
import dev.tollgate.credits.load.LedgerLoad;
import dev.tollgate.localstack.testing.LocalStackProcess;
import dev.tollgate.localstack.testing.ServiceProcess;
import dev.tollgate.localstack.testing.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * Two replicas, one hot account: 24 clients spread over two credits-service processes sharing one store hold,
 * capture and release on the same account at once. Within one JVM the service serialises an account's writers in
 * memory (LedgerConcurrencyTest), so only here, across processes, do writers race the account's version check: no
 * overdraft, the books balance, and every client was told what happened, with no 5xx.
 */
class LedgerReplicasIT {

    @Test
    void twoReplicasOnOneHotAccountNeverOverdrawAndTheBooksBalance() throws Exception {
        try (LocalStackProcess stack = LocalStackProcess.start();
                MongoClient mongo = MongoClients.create(stack.mongoConnectionString());
                ServiceProcess one = new ServiceProcess("credits-service", LedgerCrashIT.JAR, stack,
                        LedgerCrashIT.FAST_SWEEPS);
                ServiceProcess two = new ServiceProcess("credits-service", LedgerCrashIT.JAR, stack,
                        LedgerCrashIT.FAST_SWEEPS)) {
            one.start();
            two.start();
            var key = TestTokens.readPrivateKey(stack.privateKey());
            String admin = TestTokens.token("admin", null, Set.of("user", "admin"), Duration.ofMinutes(10), key);
            String serviceToken = TestTokens.token("catalog-service", null, Set.of("service"), Duration.ofMinutes(10), key);
            String user = "replicas-user-" + UUID.randomUUID();
            var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(one.baseUrl()
                    + "/admin/credits/grants")).header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/json").header("Idempotency-Key", "grant-" + user)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"" + user
                            + "\",\"amount_credits\":3000,\"credit_type\":\"admin_grant\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, response.statusCode(), response.body());

            LedgerLoad load = new LedgerLoad(List.of(one.baseUrl(), two.baseUrl()), serviceToken);
            LedgerLoad.Result result = load.run(List.of(user), 24, 30, 80, Duration.ofSeconds(60), new AtomicBoolean());

            assertTrue(result.holds().containsValue(LedgerLoad.Outcome.CAPTURED), "the load captured something");
            assertEquals(0, result.errors(), "no request may fail with a 5xx");
            // Holds the load left open run out (3 s TTL here); then every fact is copied out and the books close.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> LedgerInvariants.assertNoOpenHolds(mongo,
                    List.of(user)));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> LedgerInvariants.assertBooksBalance(mongo,
                    List.of(user)));
            LedgerInvariants.assertClientsWereToldTheTruth(mongo, result);
        }
    }
}
