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
import java.util.function.BiPredicate;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL of each process whose relay batches, mid-round. The api role is SIGKILLed while triggers pour in, so its relay dies in the middle of rounds: runs written with their
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

    static final HttpClient http = HttpClient.newHttpClient();
    static LocalStackProcess stack;
    static MongoClient mongo;
    static ServiceProcess credits;
    static ServiceProcess catalog;
    static MongoCollection<Document> runs;
    static String admin;
    static java.security.PrivateKey key;

    @BeforeAll
    static void platform() throws Exception {
        stack = LocalStackProcess.start();
        mongo = MongoClients.create(stack.mongoConnectionString());
        runs = mongo.getDatabase("tollgate-workflow").getCollection("runs");
        credits = new ServiceProcess("credits-service", ServiceProcess.siblingJar("credits-service"), stack, Map.of())
                .start();
        catalog = new ServiceProcess("catalog-service", ServiceProcess.siblingJar("catalog-service"), stack, Map.of(
                "TOLLGATE_CREDITS_URL", credits.baseUrl(),
                "TOLLGATE_CATALOG_CREDENTIALS_KEY", Base64.getEncoder().encodeToString(new byte[32]))).start();
        key = TestTokens.readPrivateKey(stack.privateKey());
        admin = TestTokens.token("admin", null, Set.of("user", "admin"), Duration.ofMinutes(30), key);
    }

    @AfterAll
    static void stop() throws Exception {
        catalog.close();
        credits.close();
        mongo.close();
        stack.close();
    }

    /** Rounds that linger 300 ms: at any moment of a flood some runs are written and not yet relayed. */
    static ServiceProcess api(String linger) {
        return new ServiceProcess("workflow-api", JAR, stack, Map.of("TOLLGATE_CATALOG_URL", catalog.baseUrl(),
                "TOLLGATE_WORKFLOW_OUTBOX_LINGER", linger)).start();
    }

    static ServiceProcess worker(String linger) {
        return worker(linger, "PT0.2S");
    }

    /** {@code removalDelay}: how long published events stay in their runs before one bulk write removes them. */
    static ServiceProcess worker(String linger, String removalDelay) {
        return new ServiceProcess("workflow-worker", JAR, stack, Map.of("TOLLGATE_WORKFLOW_ROLE", "worker",
                "TOLLGATE_CATALOG_URL", catalog.baseUrl(), "TOLLGATE_WORKFLOW_WORKER_LEASE_DURATION", "PT3S",
                "TOLLGATE_WORKFLOW_WORKER_SWEEP_INTERVAL", "1s", "TOLLGATE_WORKFLOW_OUTBOX_LINGER", linger,
                "TOLLGATE_WORKFLOW_OUTBOX_REMOVAL_DELAY", removalDelay)).start();
    }

    @Test
    void aRelayKilledMidRoundLosesNoEventAndNoRunIsExecutedTwice() throws Exception {
        try (ServiceProcess api = api("PT0.3S"); ServiceProcess worker = worker("PT0S")) {
            String wf = workflow(api);
            String token = customer(wf);
            String triggerUrl = api.baseUrl() + "/api/agent-webhooks/" + wf + "/trigger";

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
            // A queued run's first request waits in it unflagged until its claim (OutboxWrites): count any waiting.
            long waitingAtKill = runs.countDocuments(Filters.and(Filters.eq("workflowId", wf),
                    Filters.exists(OutboxWrites.EVENTS + ".0")));
            feeder.join();
            assertTrue(waitingAtKill > 0, "the kill landed while runs had events waiting in them");

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
            Map<String, Set<String>> events = eventsOnKafka(runIds, (id, seen) -> seen.size() >= 3);
            for (String runId : runIds) {
                assertEquals(Set.of(runId + ":run.requested:1", runId + ":run.started:1",
                        runId + ":run.completed:1"), events.get(runId), "every event of run " + runId);
            }
        }
    }

    /**
     * A worker is SIGKILLed while runs pour through it, its relay holding events of claims and ends in rounds, and
     * events it published waiting a second for the bulk write that removes them: the runs it was executing are
     * recovered by another worker once their leases ran out, the events it wrote and had not relayed (or relayed and
     * not removed) are relayed by the sweep under the same ids, and no run ends twice (one terminal event id per run,
     * so one callback).
     */
    @Test
    void aWorkerKilledMidRoundLosesNoEventAndNoRunEndsTwice() throws Exception {
        try (ServiceProcess api = api("PT0S"); ServiceProcess victim = worker("PT0.3S", "PT1S")) {
            String wf = workflow(api);
            String token = customer(wf);
            String triggerUrl = api.baseUrl() + "/api/agent-webhooks/" + wf + "/trigger";
            Set<String> runIds = ConcurrentHashMap.newKeySet();
            Thread feeder = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < RUNS; i++) {
                    try {
                        HttpResponse<String> r = http.send(trigger(triggerUrl, token, i),
                                HttpResponse.BodyHandlers.ofString());
                        assertEquals(200, r.statusCode(), r.body());
                        runIds.add(runId(r.body()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> runs.countDocuments(Filters.and(
                    Filters.eq("workflowId", wf), Filters.eq("status", "COMPLETED"))) >= RUNS / 5);
            victim.kill();
            long flaggedAtKill = runs.countDocuments(Filters.and(Filters.eq("workflowId", wf),
                    Filters.in("status", "RUNNING", "COMPLETED"), Filters.eq(OutboxWrites.PENDING, true)));
            assertTrue(flaggedAtKill > 0, "the kill landed while the worker's rounds held events");
            long endedWithEventsAtKill = runs.countDocuments(Filters.and(Filters.eq("workflowId", wf),
                    Filters.eq("status", "COMPLETED"), Filters.eq(OutboxWrites.PENDING, true)));
            assertTrue(endedWithEventsAtKill > 0, "and ended runs' events, published or not, still in them");
            feeder.join();
            assertEquals(RUNS, runIds.size());

            try (ServiceProcess heir = worker("PT0S")) {
                await().atMost(Duration.ofSeconds(120)).until(() -> runs.countDocuments(Filters.and(
                        Filters.eq("workflowId", wf), Filters.eq("status", "COMPLETED"))) == RUNS);
                await().atMost(Duration.ofSeconds(30)).until(() -> runs.countDocuments(Filters.and(
                        Filters.eq("workflowId", wf), Filters.eq(OutboxWrites.PENDING, true))) == 0);
                Map<String, Integer> attempts = new HashMap<>();
                runs.find(Filters.eq("workflowId", wf))
                        .forEach(d -> attempts.put(d.getObjectId("_id").toHexString(), d.getInteger("attempts")));
                // Both topics read to each run's request and end (the lifecycle topic may be read first).
                Map<String, Set<String>> events = eventsOnKafka(runIds, (id, seen) -> seen.contains(id + ":run.requested:1")
                        && seen.contains(id + ":run.completed:" + attempts.get(id)));
                for (String runId : runIds) {
                    Set<String> ids = events.get(runId);
                    int n = attempts.get(runId);
                    assertTrue(ids.contains(runId + ":run.requested:1"), ids.toString());
                    for (int attempt = 1; attempt <= n; attempt++) {
                        assertTrue(ids.contains(runId + ":run.started:" + attempt), "started " + attempt + ": " + ids);
                    }
                    assertEquals(1, ids.stream().filter(id -> id.contains(":run.completed:")
                            || id.contains(":run.failed:")).count(), "one end per run: " + ids);
                }
            }
        }
    }

    private static String workflow(ServiceProcess api) throws Exception {
        return call("POST", api.baseUrl() + "/admin/workflows", admin, JSON.writeValueAsString(Map.of(
                "name", "crash", "steps", List.of(Map.of("id", "a", "type", "template", "template", "{prompt}!")))))
                .at("/data/workflow/workflow_id").asText();
    }

    /** A new user whose budget enables {@code workflowId}: their token. */
    private static String customer(String workflowId) throws Exception {
        String user = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        String budget = call("POST", catalog.baseUrl() + "/admin/budgets", admin,
                "{\"owner_user_id\":\"" + user + "\",\"name\":\"b\"}").at("/data/budget_id").asText();
        call("PUT", catalog.baseUrl() + "/admin/budgets/" + budget + "/workflows/" + workflowId, admin, null);
        return TestTokens.token(user, budget, Set.of("user"), Duration.ofMinutes(30), key);
    }

    /** Every event id published for the runs, read from both run topics until {@code complete} holds for each run. */
    private static Map<String, Set<String>> eventsOnKafka(Set<String> runIds,
            BiPredicate<String, Set<String>> complete) {
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
                return runIds.stream().allMatch(id -> complete.test(id, byRun.getOrDefault(id, Set.of())));
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

    private static JsonNode call(String method, String url, String token, String body) throws Exception {
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
