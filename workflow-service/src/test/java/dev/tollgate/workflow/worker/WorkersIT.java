package dev.tollgate.workflow.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.localstack.testing.LocalStackProcess;
import dev.tollgate.localstack.testing.ServiceProcess;
import dev.tollgate.localstack.testing.TestTokens;
import dev.tollgate.localstack.testing.WorkerGroup;
import org.apache.kafka.common.GroupState;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workers as real processes (the packaged workflow-service in the worker role) beside the api role, catalog- and
 * credits-service, on one local stack: runs complete, two workers share the load without running any run twice, a
 * killed worker's run is taken over without paying twice, a running run is cancelled, and a model step talks to an
 * OpenAI-compatible server.
 */
class WorkersIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path JAR = Path.of(System.getProperty("tollgate.service.jar"));

    static LocalStackProcess stack;
    static MongoClient mongo;
    static ServiceProcess credits;
    static ServiceProcess catalog;
    static ServiceProcess api;
    static final List<ServiceProcess> workers = new ArrayList<>();
    static HttpServer model;
    static String admin;
    static java.security.PrivateKey key;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void platform() throws Exception {
        stack = LocalStackProcess.start();
        mongo = MongoClients.create(stack.mongoConnectionString());
        credits = new ServiceProcess("credits-service", ServiceProcess.siblingJar("credits-service"), stack, Map.of()).start();
        catalog = new ServiceProcess("catalog-service", ServiceProcess.siblingJar("catalog-service"), stack, Map.of(
                "TOLLGATE_CREDITS_URL", credits.baseUrl(),
                "TOLLGATE_CATALOG_CREDENTIALS_KEY", Base64.getEncoder().encodeToString(new byte[32]))).start();
        api = new ServiceProcess("workflow-api", JAR, stack, Map.of("TOLLGATE_CATALOG_URL", catalog.baseUrl(),
                "TOLLGATE_WORKFLOW_MODELS_ALLOW_LOOPBACK_HTTP", "true")).start();
        workers.add(worker());
        workers.add(worker());
        key = TestTokens.readPrivateKey(stack.privateKey());
        admin = TestTokens.token("admin", null, Set.of("user", "admin"), Duration.ofMinutes(30), key);
        model = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        model.createContext("/v1/chat/completions", exchange -> {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String content = "model " + request.get("model").asText() + " heard: "
                    + request.at("/messages/0/content").asText() + " (key " + auth + ")";
            byte[] body = JSON.writeValueAsBytes(Map.of("choices", List.of(Map.of("message",
                    Map.of("role", "assistant", "content", content)))));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        model.start();
    }

    static ServiceProcess worker() {
        return worker(Map.of());
    }

    static ServiceProcess worker(Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(Map.of("TOLLGATE_WORKFLOW_ROLE", "worker",
                "TOLLGATE_CATALOG_URL", catalog.baseUrl(), "TOLLGATE_WORKFLOW_WORKER_LEASE_DURATION", "PT3S",
                "TOLLGATE_WORKFLOW_WORKER_SWEEP_INTERVAL", "1s", "TOLLGATE_WORKFLOW_MODELS_ALLOW_LOOPBACK_HTTP", "true"));
        env.putAll(extraEnv);
        return new ServiceProcess("workflow-worker", JAR, stack, env).start();
    }

    @AfterAll
    static void stop() throws Exception {
        model.stop(0);
        for (ServiceProcess w : workers) {
            w.close();
        }
        api.close();
        catalog.close();
        credits.close();
        mongo.close();
        stack.close();
    }

    @Test
    void aTemplateRunCompletesWithItsAnswer() throws Exception {
        String wf = workflow(List.of(Map.of("id", "answer", "type", "template", "template", "You said: {prompt}")));
        Customer c = customer(wf, 0);
        JsonNode run = awaitEnd(c, trigger(c, wf, "hello"));
        assertEquals("completed", run.get("status").asText());
        assertEquals("You said: hello", run.get("response_text").asText());
        assertNotNull(run.get("started_at").textValue());
        assertNotNull(run.get("completed_at").textValue());
        assertEquals(1, run.at("/run_metadata/attempts").asInt());
        assertEquals("answer", run.at("/run_metadata/steps_executed/0/id").asText());
        // An opaque reference to the worker, not its lease name (pid@host, the pod's name, shown to every tenant).
        String worker = run.at("/run_metadata/worker").asText();
        assertTrue(worker.matches("w-[0-9a-f]{12}"), worker);
        assertTrue(workers.stream().noneMatch(w -> worker.contains(String.valueOf(w.pid()))), worker);
    }

    @Test
    void twoWorkersShareTheLoadAndNoRunRunsTwice() throws Exception {
        String wf = workflow(List.of(Map.of("id", "answer", "type", "template", "template", "{prompt}!")));
        Customer c = customer(wf, 0);
        // Started is not joined: a worker started by the takeover test (or at start) may not hold partitions yet,
        // and the worker it replaced stays a member until its session times out.
        WorkerGroup.awaitMembers(stack.kafkaBootstrap(), workers.size());
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            runs.add(trigger(c, wf, "n" + i));
        }
        Set<String> workersSeen = new HashSet<>();
        for (String r : runs) {
            JsonNode run = awaitEnd(c, r);
            assertEquals("completed", run.get("status").asText());
            assertEquals(1, run.at("/run_metadata/attempts").asInt(), "claimed once: " + r);
            workersSeen.add(run.at("/run_metadata/worker").asText());
        }
        assertEquals(2, workersSeen.size(), "both workers took runs: " + workersSeen);
    }

    @Test
    void aToolStepBuysThroughTheCatalogAndAKilledWorkersRunIsTakenOverWithoutPayingTwice() throws Exception {
        String wait = product("wait", 3);
        String wf = workflow(List.of(
                Map.of("id", "pause", "type", "tool", "product_id", wait, "action", "wait", "parameters", Map.of("seconds", 6)),
                Map.of("id", "done", "type", "template", "template", "waited {steps.pause}")));
        Customer c = customer(wf, 100);
        String runId = trigger(c, wf, "slow");
        await().atMost(Duration.ofSeconds(20)).until(() -> leaseOwner(runId) != null);
        String owner = leaseOwner(runId);
        ServiceProcess victim = workers.stream().filter(w -> owner.startsWith(w.pid() + "@")).findFirst().orElseThrow();
        victim.kill();
        workers.remove(victim);
        // Fail-over in seconds: the lease (3 s here) runs out, the sweep re-queues the run, and the request is consumed
        // by the live worker once the group has taken the killed one's partitions (6 s session timeout, as in
        // production; Kafka's default 45 s would fail this).
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            Document now = runDocument(runId);
            return now.getInteger("attempts") >= 2 && !"QUEUED".equals(now.getString("status"));
        });
        JsonNode run = awaitEnd(c, runId);
        workers.add(worker());
        assertEquals("completed", run.get("status").asText(), run.toString());
        assertEquals(2, run.at("/run_metadata/attempts").asInt());
        assertTrue(run.get("response_text").asText().startsWith("waited "));
        assertEquals(97, balance(c), "the retried step found its first purchase: charged once");
    }

    @Test
    void aWorkerRestartedUnderItsInstanceIdRejoinsAsTheSameMemberAndNoOtherPartitionMoves() throws Exception {
        // Static membership, as in Kubernetes where the instance id is the pod's name: a container restarted in place
        // within the session timeout rejoins as the same member, so the group does not rebalance and no other worker
        // gives up partitions. The session is long here so that the restart surely fits in it on a loaded CI machine.
        String bootstrap = stack.kafkaBootstrap();
        WorkerGroup.awaitMembers(bootstrap, workers.size());
        String instance = "worker-pod-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, String> asPod = Map.of("TOLLGATE_WORKFLOW_WORKER_GROUP_INSTANCE_ID", instance,
                "TOLLGATE_WORKFLOW_WORKER_GROUP_SESSION_TIMEOUT", "PT45S");
        List<ServiceProcess> started = new ArrayList<>();
        try {
            started.add(worker(asPod));
            WorkerGroup.awaitMembers(bootstrap, workers.size() + 1);
            List<WorkerGroup.Member> before = WorkerGroup.members(bootstrap);
            WorkerGroup.Member first = before.stream().filter(m -> instance.equals(m.instanceId())).findFirst()
                    .orElseThrow();
            assertTrue(!first.partitions().isEmpty(), "the pod's worker holds partitions: " + before);

            started.getFirst().kill();
            long killed = System.nanoTime();
            started.add(worker(asPod));
            // Watched from the kill to the rejoin: a rebalance shows as a state other than stable or a member less
            // (the final assignment alone cannot tell: the range assignor gives the same one after two rebalances).
            List<WorkerGroup.Snapshot> watched = new ArrayList<>();
            List<WorkerGroup.Member> after = new ArrayList<>();
            await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(40)).until(() -> {
                WorkerGroup.Snapshot now = WorkerGroup.snapshot(bootstrap);
                watched.add(now);
                after.clear();
                after.addAll(now.members());
                return after.stream().anyMatch(m -> instance.equals(m.instanceId())
                        && !m.memberId().equals(first.memberId()));
            });
            for (WorkerGroup.Snapshot moment : watched) {
                assertEquals(GroupState.STABLE, moment.state(), "the group rebalanced during the restart: " + watched);
                assertEquals(before.size(), moment.members().size(), "a member left during the restart: " + watched);
            }
            System.out.printf("static: the restarted worker rejoined as the same member %.1f s after the kill%n",
                    (System.nanoTime() - killed) / 1e9);
            WorkerGroup.Member again = after.stream().filter(m -> instance.equals(m.instanceId())).findFirst()
                    .orElseThrow();
            assertEquals(first.partitions(), again.partitions(), "the same partitions, taken back without a rebalance");
            assertEquals(before.size(), after.size(), "no member left or was added: " + after);
            for (WorkerGroup.Member other : before) {
                if (other != first) {
                    assertTrue(after.contains(other), "unchanged: " + other + " in " + after);
                }
            }

            // Stopped normally, a static member leaves the group at once (it would otherwise hold its partitions for
            // its whole session, 45 s here, at least 30 s after its last heartbeat): the others have them back first.
            long stopping = System.nanoTime();
            started.getLast().close();
            WorkerGroup.awaitMembers(bootstrap, workers.size());
            assertTrue(System.nanoTime() - stopping < Duration.ofSeconds(15).toNanos(),
                    "the stopped worker left the group without waiting out its session");
        } finally {
            for (ServiceProcess w : started) {
                w.close();
            }
        }
    }

    @Test
    void aDynamicWorkerRestartedInPlaceIsANewMemberAndItsPartitionsMoveOnceItsSessionTimesOut() throws Exception {
        // The same restart without an instance id (locally, and the measurement static membership is chosen by): the
        // dead member holds its partitions until its 6 s session runs out, then the group rebalances among the live.
        String bootstrap = stack.kafkaBootstrap();
        WorkerGroup.awaitMembers(bootstrap, workers.size());
        int partitions = WorkerGroup.partitions(bootstrap);
        List<ServiceProcess> started = new ArrayList<>();
        try {
            started.add(worker());
            WorkerGroup.awaitMembers(bootstrap, workers.size() + 1);
            Set<String> before = new HashSet<>();
            WorkerGroup.members(bootstrap).forEach(m -> before.add(m.memberId()));
            started.getFirst().kill();
            long killed = System.nanoTime();
            started.add(worker());
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                List<WorkerGroup.Member> now = WorkerGroup.members(bootstrap);
                Set<Integer> held = new HashSet<>();
                now.forEach(m -> held.addAll(m.partitions()));
                return now.size() == workers.size() + 1 && held.size() == partitions
                        && now.stream().filter(m -> !before.contains(m.memberId())).count() == 1;
            });
            System.out.printf("dynamic: every partition held by a live member again %.1f s after the kill%n",
                    (System.nanoTime() - killed) / 1e9);
        } finally {
            for (ServiceProcess w : started) {
                w.close();
            }
            WorkerGroup.awaitMembers(bootstrap, workers.size());
        }
    }

    @Test
    void aToolStepThatTakesLongerThanTheCatalogClientsShortTimeoutIsWaitedForAndChargedOnce() throws Exception {
        // 12 s: past the 10 s read timeout of catalog calls on the trigger path, which purchases used to share (the
        // step then ended failed/tool_failed while catalog completed the purchase and charged it).
        String wait = product("wait", 2);
        String wf = workflow(List.of(Map.of("id", "pause", "type", "tool", "product_id", wait, "action", "wait",
                "parameters", Map.of("seconds", 12))));
        Customer c = customer(wf, 100);
        String runId = trigger(c, wf, "long");
        JsonNode run = awaitEnd(c, runId);
        assertEquals("completed", run.get("status").asText(), run.toString());
        assertEquals(1, run.at("/run_metadata/attempts").asInt(), run.toString());
        assertEquals(2, run.at("/run_metadata/credits_spent").asLong());
        assertEquals(98, balance(c), "charged once, and the run says so");
    }

    @Test
    void aRunningRunIsCancelledBeforeItsNextStep() throws Exception {
        String wait = product("wait", 0);
        String wf = workflow(List.of(
                Map.of("id", "pause", "type", "tool", "product_id", wait, "action", "wait", "parameters", Map.of("seconds", 3)),
                Map.of("id", "never", "type", "template", "template", "should not run")));
        Customer c = customer(wf, 0);
        String runId = trigger(c, wf, "cancel me");
        await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(status(c, runId).get("status").asText()));
        call("POST", api.baseUrl() + "/api/agent-webhooks/runs/" + runId + "/cancel", c.token, "{\"reason\":\"too slow\"}");
        JsonNode run = awaitEnd(c, runId);
        assertEquals("cancelled", run.get("status").asText());
        assertEquals("too slow", run.get("cancel_reason").asText());
        assertEquals(1, run.at("/run_metadata/steps_executed").size());
    }

    @Test
    void aModelStepCallsAnOpenAiCompatibleServerWithTheBudgetsKey() throws Exception {
        String wf = workflow(List.of(Map.of("id", "ask", "type", "model", "base_url",
                "http://127.0.0.1:" + model.getAddress().getPort() + "/v1", "model", "tiny-1",
                "api_key_credential", "model_key", "template", "Q: {prompt}")));
        Customer c = customer(wf, 0);
        call("PUT", catalog.baseUrl() + "/admin/budgets/" + c.budgetId + "/credentials/model_key", admin,
                "{\"value\":\"sk-test-123\"}");
        JsonNode run = awaitEnd(c, trigger(c, wf, "why?"));
        assertEquals("completed", run.get("status").asText(), run.toString());
        assertEquals("tiny-1", run.get("model").asText());
        assertEquals("model tiny-1 heard: Q: why? (key Bearer sk-test-123)", run.get("response_text").asText());
    }

    @Test
    void aModelBaseUrlIsCheckedAgainWhenTheStepRuns() throws Exception {
        // A workflow saved before the egress rules (or whose host now resolves elsewhere): the step fails without
        // calling the address, and the run says why (issue 17 item 9).
        String wf = workflow(List.of(Map.of("id", "ask", "type", "model", "base_url",
                "http://127.0.0.1:" + model.getAddress().getPort() + "/v1", "model", "tiny-1")));
        mongo.getDatabase("tollgate-workflow").getCollection("workflows").updateOne(
                new Document("_id", new ObjectId(wf)),
                new Document("$set", new Document("steps.0.baseUrl", "https://169.254.169.254/v1")));
        Customer c = customer(wf, 0);
        JsonNode run = awaitEnd(c, trigger(c, wf, "where am I?"));
        assertEquals("failed", run.get("status").asText(), run.toString());
        assertEquals("model_error", run.get("error_code").asText());
        assertTrue(run.get("error_message").asText().contains("cloud metadata"), run.toString());
    }

    @Test
    void aCredentialMissingAtExecutionEndsTheRunAsSetupRequired() throws Exception {
        String u = UUID.randomUUID().toString().substring(0, 6);
        String needy = call("POST", catalog.baseUrl() + "/admin/products", admin, JSON.writeValueAsString(Map.of(
                "slug", "needy-" + u, "name", "needy_" + u, "display_name", "needy", "description", "needs a key",
                "price_credits", 0, "required_credentials", List.of("vendor_token"),
                "invocation", Map.of("type", "builtin", "tool", "wait")))).at("/data/product/product_id").asText();
        String wf = workflow(List.of(Map.of("id", "call", "type", "tool", "product_id", needy, "action", "wait",
                "parameters", Map.of("seconds", 0))));
        Customer c = customer(wf, 0);
        JsonNode run = awaitEnd(c, trigger(c, wf, "go"));
        assertEquals("setup_required", run.get("status").asText(), run.toString());
        assertEquals("missing_credentials", run.get("error_code").asText());
    }

    @Test
    void aRunWhoseWorkersKeepDyingFailsWithWorkerLost() throws Exception {
        String wf = workflow(List.of(Map.of("id", "a", "type", "template", "template", "x")));
        Customer c = customer(wf, 0);
        ObjectId id = new ObjectId();
        mongo.getDatabase("tollgate-workflow").getCollection("runs").insertOne(new Document("_id", id)
                .append("workflowId", wf).append("ownerUserId", c.userId).append("budgetId", c.budgetId)
                .append("status", "RUNNING").append("prompt", "p").append("callbackStatus", "skipped")
                .append("attempts", 3).append("leaseOwner", "gone@nowhere")
                .append("leaseUntil", java.util.Date.from(java.time.Instant.now().minusSeconds(5)))
                .append("createdAt", new java.util.Date()).append("updatedAt", new java.util.Date())
                .append("startedAt", new java.util.Date()).append("pendingEvents", List.of()));
        JsonNode run = awaitEnd(c, id.toHexString());
        assertEquals("failed", run.get("status").asText());
        assertEquals("worker_lost", run.get("error_code").asText());
    }

    record Customer(String userId, String budgetId, String token) {
    }

    static Customer customer(String workflowId, long credits) throws Exception {
        String user = "user-" + UUID.randomUUID().toString().substring(0, 8);
        String budget = call("POST", catalog.baseUrl() + "/admin/budgets", admin,
                "{\"owner_user_id\":\"" + user + "\",\"name\":\"b\"}").at("/data/budget_id").asText();
        call("PUT", catalog.baseUrl() + "/admin/budgets/" + budget + "/workflows/" + workflowId, admin, null);
        for (Document pair : mongo.getDatabase("tollgate-catalog").getCollection("products").find()) {
            call("PUT", catalog.baseUrl() + "/admin/budgets/" + budget + "/products/" + pair.getObjectId("_id").toHexString(),
                    admin, null);
        }
        if (credits > 0) {
            call("POST", credits() + "/admin/credits/grants", admin, "{\"user_id\":\"" + user + "\",\"amount_credits\":"
                    + credits + ",\"credit_type\":\"admin_grant\"}");
        }
        return new Customer(user, budget, TestTokens.token(user, budget, Set.of("user"), Duration.ofMinutes(30), key));
    }

    static String credits() {
        return credits.baseUrl();
    }

    static String product(String tool, long price) throws Exception {
        String u = UUID.randomUUID().toString().substring(0, 6);
        return call("POST", catalog.baseUrl() + "/admin/products", admin, JSON.writeValueAsString(Map.of(
                "slug", tool + "-" + u, "name", tool + "_" + u, "display_name", tool, "description", tool,
                "price_credits", price, "invocation", Map.of("type", "builtin", "tool", tool))))
                .at("/data/product/product_id").asText();
    }

    static String workflow(List<Map<String, Object>> steps) throws Exception {
        return call("POST", api.baseUrl() + "/admin/workflows", admin,
                JSON.writeValueAsString(Map.of("name", "wf", "steps", steps))).at("/data/workflow/workflow_id").asText();
    }

    static String trigger(Customer c, String wf, String prompt) throws Exception {
        return call("POST", api.baseUrl() + "/api/agent-webhooks/" + wf + "/trigger", c.token,
                JSON.writeValueAsString(Map.of("prompt", prompt))).at("/data/run/run_id").asText();
    }

    static JsonNode status(Customer c, String runId) throws Exception {
        return call("GET", api.baseUrl() + "/api/agent-webhooks/runs/" + runId, c.token, null).at("/data/run");
    }

    static JsonNode awaitEnd(Customer c, String runId) {
        Map<String, JsonNode> last = new HashMap<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode run = status(c, runId);
            last.put("run", run);
            return !Set.of("queued", "running").contains(run.get("status").asText());
        });
        return last.get("run");
    }

    static long balance(Customer c) throws Exception {
        return call("GET", credits() + "/credits/balance", c.token, null).at("/data/balance").asLong();
    }

    static String leaseOwner(String runId) {
        Document run = runDocument(runId);
        return run == null ? null : run.getString("leaseOwner");
    }

    static Document runDocument(String runId) {
        return mongo.getDatabase("tollgate-workflow").getCollection("runs")
                .find(Filters.eq("_id", new ObjectId(runId))).first();
    }

    static JsonNode call(String method, String url, String token, String body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new AssertionError(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
