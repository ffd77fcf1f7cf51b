package dev.tollgate.credits.outbox;

import static dev.tollgate.credits.api.LedgerClient.balance;
import static dev.tollgate.credits.api.LedgerClient.capture;
import static dev.tollgate.credits.api.LedgerClient.grant;
import static dev.tollgate.credits.api.LedgerClient.hold;
import static dev.tollgate.credits.api.LedgerClient.newUser;
import static dev.tollgate.credits.api.LedgerClient.release;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.credits.ledger.Account;
import dev.tollgate.credits.ledger.AccountRepository;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class TransactionEventsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AccountRepository store;

    @Inject
    ObjectMapper json;

    @Test
    void everyTransactionIsPublishedOnceDurableAndRebuildsTheBalance() throws Exception {
        String user = newUser();
        grant(user, 1000, null).then().statusCode(201);
        for (int i = 0; i < 5; i++) {
            String holdId = "ord-" + UUID.randomUUID();
            hold(user, holdId, 70).then().statusCode(200);
            if (i % 2 == 0) {
                capture(user, holdId).then().statusCode(200);
            } else {
                release(user, holdId).then().statusCode(200);
            }
        }
        long balance = balance(user); // 1000 - 3 * 70
        assertEquals(790, balance);

        Map<String, JsonNode> events = consumeUntil(user, 4);
        long rebuilt = events.values().stream().mapToLong(e -> e.at("/data/amount_credits").asLong()).sum();
        assertEquals(balance, rebuilt, "a consumer rebuilds the balance by summing the user's events");
        JsonNode last = events.values().stream().max((a, b) -> Long.compare(a.at("/data/sequence").asLong(),
                b.at("/data/sequence").asLong())).orElseThrow();
        assertEquals(balance, last.at("/data/balance_after_credits").asLong());
        assertEquals("1.0", last.get("specversion").asText());
        assertEquals(user, last.get("subject").asText());

        // Copied out of the account into the collections, and gone from the account's pending lists.
        await().atMost(Duration.ofSeconds(10)).until(() -> store.load(user).pendingTransactions().isEmpty()
                && store.load(user).pendingHolds().isEmpty());
        assertEquals(4, store.recentTransactions(user, 100).size());
    }

    @Test
    void factsLeftInAnAccountByACrashAreRelayedByTheSweep() throws Exception {
        String user = newUser();
        // What a process that died right after its write leaves behind: the account changed, nothing relayed.
        Account before = Account.empty(user);
        Account.Change change = before.grant(new org.bson.types.ObjectId().toHexString(), "crash-key", 42,
                "admin_grant", Map.of(), null, Instant.now());
        assertTrue(store.compareAndSet(before, change));
        assertEquals(1, store.load(user).pendingTransactions().size());

        Map<String, JsonNode> events = consumeUntil(user, 1);
        assertEquals(42, events.values().iterator().next().at("/data/amount_credits").asLong());
        await().atMost(Duration.ofSeconds(10)).until(() -> store.load(user).pendingTransactions().isEmpty());
        assertEquals(42, balance(user));
    }

    private Map<String, JsonNode> consumeUntil(String user, int expected) throws Exception {
        Map<String, JsonNode> byId = new ConcurrentHashMap<>();
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "rebuild-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("credits.transactions"));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (user.equals(record.key())) {
                        JsonNode event = json.readTree(record.value());
                        byId.put(event.get("id").asText(), event); // duplicates collapse by event id
                    }
                }
                return byId.size() >= expected;
            });
        }
        assertEquals(expected, byId.size(), "events for " + user + ": " + Set.copyOf(byId.keySet()));
        return byId;
    }
}
