package dev.tollgate.workflow.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.tollgate.localstack.testing.LocalStackProcess;
import dev.tollgate.localstack.testing.ServiceProcess;
import dev.tollgate.localstack.testing.TestTokens;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The api role is SIGKILLed while triggers pour in, so its relay dies in the middle of rounds: runs written with their
 * events, some sent and not yet removed, some not sent at all. After a restart (and the same triggers repeated with
 * their request ids, as a client does after a dropped connection) every run's events are on Kafka, every outbox
 * drains, and a worker executed every run exactly once: a {@code run.requested} published twice (sent before the
 * kill, sent again by the sweep) is claimed once.
 */
class OutboxRelayCrashIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path JAR = Path.of(System.getProperty("tollgate.service.jar"));
    static final int RUNS = 150;
    static final int IN_FLIGHT = 24;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRelayKilledMidRoundLosesNoEventAndNoRunIsExecutedTwice() throws Exception {
        try (LocalStackProcess stack = LocalStackProcess.start();
                MongoClient mongo = MongoClients.create(stack.mongoConnectionString());
                ServiceProcess credits = new ServiceProcess("credits-service", ServiceProcess.siblingJar("credits-service"),
                        stack, Map.of()).start();
                ServiceProcess catalog = new ServiceProcess("catalog-service", ServiceProcess.siblingJar("catalog-service"),
                        stack, Map.of("TOLLGATE_CREDITS_URL", credits.baseUrl(),
                                "TOLLGATE_CATALOG_CREDENTIALS_KEY", Base64.getEncoder().encodeToString(new byte[32])))
                        .start();
                // Rounds that linger 300 ms: at any moment of the flood some runs are written and not yet relayed.
                ServiceProcess api = new ServiceProcess("workflow-api", JAR, stack, Map.of(
                        "TOLLGATE_CATALOG_URL", catalog.baseUrl(), "TOLLGATE_WORKFLOW_OUTBOX_LINGER", "PT0.3S")).start();
                ServiceProcess worker = new ServiceProcess("workflow-worker", JAR, stack, Map.of(
                        "TOLLGATE_WORKFLOW_ROLE", "worker", "TOLLGATE_CATALOG_URL", catalog.baseUrl(),
                        "TOLLGATE_WORKFLOW_WORKER_LEASE_DURATION", "PT3S",
                        "TOLLGATE_WORKFLOW_WORKER_SWEEP_INTERVAL", "1s")).start()) {
            var key = TestTokens.readPrivateKey(stack.privateKey());
            String admin = TestTokens.token("admin", null, Set.of("user", "admin"), Duration.ofMinutes(30), key);
            String wf = call("POST", api.baseUrl() + "/admin/workflows", admin, JSON.writeValueAsString(Map.of(
                    "name", "crash", "steps", List.of(Map.of("id", "a", "type", "template", "template", "{prompt}!")))))
                    .at("/data/workflow/workflow_id").asText();
            String user = "crash-" + UUID.randomUUID().toString().substring(0, 8);
            String budget = call("POST", catalog.baseUrl() + "/admin/budgets", admin,
                    "{\"owner_user_id\":\"" + user + "\",\"name\":\"b\"}").at("/data/budget_id").asText();
            call("PUT", catalog.baseUrl() + "/admin/budgets/" + budget + "/workflows/" + wf, admin, null);
            String token = TestTokens.token(user, budget, Set.of("user"), Duration.ofMinutes(30), key);
            String triggerUrl = api.baseUrl() + "/api/agent-webhooks/" + wf + "/trigger";
            MongoCollection<Document> runs = mongo.getDatabase("tollgate-workflow").getCollection("runs");

            // Triggers keep IN_FLIGHT requests open; the api is killed once a third of them were answered.
            Map<Integer, String> accepted = new ConcurrentHashMap<>();
            AtomicInteger answered = new AtomicInteger();
            Semaphore slots = new Semaphore(IN_FLIGHT);
            Thread feeder = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < RUNS; i++) {
                    slots.acquireUninterruptibly();
                    int n = i;
                    http.sendAsync(trigger(triggerUrl, token, n), HttpResponse.BodyHandlers.ofString())
                            .whenComplete((response, failure) -> {
                                if (failure == null && response.statusCode() < 300) {
                                    accepted.put(n, runId(response.body()));
                                    answered.incrementAndGet();
                                }
                                slots.release();
                            });
                }
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> answered.get() >= RUNS / 3);
            api.kill();
            long flaggedAtKill = runs.countDocuments(Filters.and(Filters.eq("workflowId", wf),
                    Filters.eq(OutboxWrites.PENDING, true)));
            feeder.join();
            assertTrue(flaggedAtKill > 0, "the kill landed while runs had events waiting for the relay");

            api.start();
            // What a client does with a trigger whose answer it never got: send it again, same request_id.
            for (int i = 0; i < RUNS; i++) {
                if (!accepted.containsKey(i)) {
                    HttpResponse<String> again = http.send(trigger(triggerUrl, token, i),
                            HttpResponse.BodyHandlers.ofString());
                    assertTrue(again.statusCode() == 200 || again.statusCode() == 202, again.body());
                    accepted.put(i, runId(again.body()));
                }
            }
            Set<String> runIds = new HashSet<>(accepted.values());
            assertEquals(RUNS, runIds.size(), "one run per request_id");

            await().atMost(Duration.ofSeconds(120)).until(() -> runs.countDocuments(Filters.and(
                    Filters.eq("workflowId", wf), Filters.eq("status", "COMPLETED"))) == RUNS);
            await().atMost(Duration.ofSeconds(30)).until(() -> runs.countDocuments(Filters.and(
                    Filters.eq("workflowId", wf), Filters.eq(OutboxWrites.PENDING, true))) == 0);
            for (Document run : runs.find(Filters.eq("workflowId", wf))) {
                assertEquals(1, run.getInteger("attempts"), "executed once: " + run.getObjectId("_id"));
                assertTrue(run.getList(OutboxWrites.EVENTS, Document.class).isEmpty());
            }
            Map<String, Set<String>> events = eventsOnKafka(stack, runIds);
            for (String runId : runIds) {
                assertEquals(Set.of(runId + ":run.queued:0", runId + ":run.requested:1", runId + ":run.started:1",
                        runId + ":run.completed:1"), events.get(runId), "every event of run " + runId);
            }
        }
    }

    /** Every event id published for the runs, read from both run topics until each run's four are there. */
    private static Map<String, Set<String>> eventsOnKafka(LocalStackProcess stack, Set<String> runIds) {
        Map<String, Set<String>> byRun = new HashMap<>();
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "crash-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("workflow.run.requested", "workflow.run.lifecycle"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (runIds.contains(r.key())) {
                        byRun.computeIfAbsent(r.key(), k -> new HashSet<>())
                                .add(JSON.readTree(r.value()).get("id").asText());
                    }
                }
                return runIds.stream().allMatch(id -> byRun.getOrDefault(id, Set.of()).size() >= 4);
            });
        }
        return byRun;
    }

    private static HttpRequest trigger(String url, String token, int n) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"p" + n + "\",\"request_id\":\"crash-" + n
                        + "\"}")).build();
    }

    private static String runId(String body) {
        try {
            return JSON.readTree(body).at("/data/run/run_id").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode call(String method, String url, String token, String body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new AssertionError(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
