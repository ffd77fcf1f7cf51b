package dev.tollgate.credits.crash;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import dev.tollgate.credits.load.LedgerInvariants;
import dev.tollgate.credits.load.LedgerLoad;
import dev.tollgate.localstack.testing.ServiceProcess;
import dev.tollgate.localstack.testing.LocalStackProcess;
import dev.tollgate.localstack.testing.TestTokens;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two instances of the packaged service share one store (so their writes race on the account version, the way
 * replicas do); one is SIGKILLed in the middle of a concurrent hold/capture/release load, then restarted.
 * Afterwards the books balance for every user, every hold has ended captured or released, what clients were told
 * is what happened, and the Kafka topic rebuilds every user's transactions.
 */
class LedgerCrashIT {

    static final java.nio.file.Path JAR = java.nio.file.Path.of(System.getProperty("tollgate.service.jar"));

    static final Map<String, String> FAST_SWEEPS = Map.of(
            "TOLLGATE_CREDITS_HOLDS_DEFAULT_TTL", "PT3S",
            "TOLLGATE_CREDITS_SWEEP_INTERVAL", "1s",
            "TOLLGATE_CREDITS_OUTBOX_SWEEP_INTERVAL", "1s");

    /**
     * 20 accounts spread the load; 2 hot accounts under the same 16 clients make each instance write many changes to
     * one account together (LedgerService's batches), so the kill lands in the middle of batches.
     */
    @ParameterizedTest(name = "{0} accounts")
    @ValueSource(ints = { 20, 2 })
    void killedMidLoadAndRestartedTheBooksStillBalance(int accounts) throws Exception {
        try (LocalStackProcess stack = LocalStackProcess.start();
                MongoClient mongo = MongoClients.create(stack.mongoConnectionString());
                ServiceProcess service = new ServiceProcess("credits-service", JAR, stack, FAST_SWEEPS);
                ServiceProcess replica = new ServiceProcess("credits-service", JAR, stack, FAST_SWEEPS)) {
            service.start();
            replica.start();
            var key = TestTokens.readPrivateKey(stack.privateKey());
            String admin = TestTokens.token("admin", null, Set.of("user", "admin"), Duration.ofMinutes(10), key);
            String serviceToken = TestTokens.token("catalog-service", null, Set.of("service"), Duration.ofMinutes(10), key);

            List<String> users = new ArrayList<>();
            for (int i = 0; i < accounts; i++) {
                users.add("crash-user-" + UUID.randomUUID());
            }
            HttpClient http = HttpClient.newHttpClient();
            for (String u : users) {
                grant(http, service.baseUrl(), admin, u, u.hashCode() % 2 == 0 ? 300 : 2000);
            }

            AtomicBoolean stop = new AtomicBoolean();
            LedgerLoad load = new LedgerLoad(List.of(service.baseUrl(), replica.baseUrl()), serviceToken);
            CompletableFuture<LedgerLoad.Result> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return load.run(users, 16, 10_000, 120, Duration.ofSeconds(60), stop);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            // Let the load get going, then pull the plug without warning. Only progress is awaited: on two hot
            // accounts the batched writes settle holds so fast that a poll seldom sees one open (two CI runs never
            // did in 55 s), while 16 clients keep batches in flight at any moment the kill lands.
            await().atMost(Duration.ofSeconds(55)).until(() -> mongo.getDatabase("tollgate-credits")
                    .getCollection("holds").countDocuments() > 50);
            service.kill();
            stop.set(true);
            LedgerLoad.Result result = running.get();
            assertTrue(result.errors() > 0 || result.operations() > 0);

            service.start();
            // Abandoned holds (placed, never settled: the client saw its connection die) are released by TTL.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                LedgerInvariants.assertNoOpenHolds(mongo, users);
                for (String u : users) {
                    Document account = mongo.getDatabase("tollgate-credits").getCollection("accounts")
                            .find(Filters.eq("_id", u)).first();
                    assertEquals(List.of(), account.getList("pendingTransactions", Document.class));
                    assertEquals(List.of(), account.getList("pendingHolds", Document.class));
                }
            });
            LedgerInvariants.assertBooksBalance(mongo, users);
            LedgerInvariants.assertClientsWereToldTheTruth(mongo, result);
            result.holds().keySet().forEach(holdId -> {
                Document record = mongo.getDatabase("tollgate-credits").getCollection("holds")
                        .find(Filters.eq("_id", holdId)).first();
                if (record != null) {
                    assertTrue(Set.of("CAPTURED", "RELEASED", "REFUSED").contains(record.getString("state")),
                            holdId + " ended " + record.getString("state"));
                }
            });

            // The topic has every transaction (at least once): per user, it sums to the books.
            Map<String, Map<String, Long>> fromTopic = consumeAll(stack, users);
            for (String u : users) {
                Map<String, Long> stored = new HashMap<>();
                mongo.getDatabase("tollgate-credits").getCollection("transactions").find(Filters.eq("userId", u))
                        .forEach(t -> stored.put(t.getString("_id"), t.getLong("amount")));
                assertEquals(stored, fromTopic.getOrDefault(u, Map.of()), "topic vs collection for " + u);
            }
        }
    }

    private static void grant(HttpClient http, String base, String admin, String user, long credits) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/credits/grants"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .header("Idempotency-Key", "grant-" + user)
                .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"" + user + "\",\"amount_credits\":" + credits
                        + ",\"credit_type\":\"admin_grant\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
    }

    private static Map<String, Map<String, Long>> consumeAll(LocalStackProcess stack, List<String> users) {
        ObjectMapper json = new ObjectMapper();
        Map<String, Map<String, Long>> byUser = new HashMap<>();
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "crash-check-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("credits.transactions"));
            int idle = 0;
            while (idle < 10) { // drained when ten polls in a row bring nothing
                var records = consumer.poll(Duration.ofMillis(300));
                idle = records.isEmpty() ? idle + 1 : 0;
                for (var r : records) {
                    JsonNode event = json.readTree(r.value());
                    byUser.computeIfAbsent(r.key(), k -> new HashMap<>())
                            .put(event.get("id").asText(), event.at("/data/amount_credits").asLong());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        byUser.keySet().retainAll(users);
        return byUser;
    }
}
