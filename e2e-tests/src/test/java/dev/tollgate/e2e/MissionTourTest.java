package dev.tollgate.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.localstack.launcher.LocalPlatform;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mission, through the gateway only, on the platform exactly as {@code deploy/local/up} starts it (separate
 * processes, the demo tenant from {@code stack.json}): a token from an API key, the tools, a purchase charged exactly
 * once, an issue report, a workflow run whose final status is POSTed, signed, to a receiver, idempotent replays,
 * a blocked workflow, a cancelled slow run, and another user's run staying invisible.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MissionTourTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;

    static LocalPlatform platform;
    static JsonNode stack;
    static String gateway;
    static String alice;
    static String bob;
    static HttpServer receiver;
    static final List<Map<String, Object>> callbacks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        platform = new LocalPlatform(workDir);
        LocalPlatform.Result up = platform.up();
        assertEquals(0, up.exitCode(), up.output());
        stack = JSON.readTree(Files.readString(platform.runDir.resolve("stack.json")));
        gateway = stack.get("gateway_url").asText();
        assertEquals(platform.url("gateway"), gateway);
        alice = token(stack.get("api_key").asText());
        bob = token(stack.get("second_api_key").asText());
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        receiver.createContext("/hooks", exchange -> {
            callbacks.add(Map.of("headers", Map.copyOf(exchange.getRequestHeaders()),
                    "body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void down() {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (platform != null) {
            platform.down();
        }
    }

    static String token(String apiKey) {
        return given().contentType(ContentType.JSON).body(Map.of("api_key", apiKey)).post(gateway + "/auth/token")
                .then().statusCode(200).body("token_type", equalTo("Bearer")).extract().path("access_token");
    }

    @Test
    @Order(1)
    void aWrongKeyGetsNoToken() {
        given().contentType(ContentType.JSON).body(Map.of("api_key", "tg_wrong")).post(gateway + "/auth/token")
                .then().statusCode(401).body("detail", equalTo("Invalid API key"));
        given().get(gateway + "/credits/balance").then().statusCode(401);
    }

    @Test
    @Order(2)
    void theToolsOnTheBudgetAreListed() {
        given().auth().oauth2(alice).get(gateway + "/products/fetch").then().statusCode(200)
                .body("success", equalTo(true))
                .body("tools.product_id", hasItem(stack.get("product_id").asText()));
    }

    @Test
    @Order(3)
    void aPurchaseChargesExactlyThePriceOnce() {
        int before = balance(alice);
        Response bought = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("product_id", stack.get("product_id").asText(),
                        "parameters", JSON.convertValue(stack.get("product_parameters"), Map.class)))
                .post(gateway + "/products/purchase");
        bought.then().statusCode(200).body("success", equalTo(true)).body("data.words", equalTo(8));
        int price = stack.get("product_price_credits").asInt();
        assertEquals(before - price, balance(alice));
        JsonNode newest = history(alice).get("transactions").get(0);
        assertEquals("purchase", newest.get("transaction_type").asText());
        assertEquals(-price, newest.get("amount_credits").asInt());
        assertEquals(before - price, newest.get("balance_after_credits").asInt());
    }

    @Test
    @Order(4)
    void anIssueIsReported() {
        given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("product_id", stack.get("product_id").asText(), "error_message", "the tour says hi"))
                .post(gateway + "/issues/report").then().statusCode(200)
                .body("data.product_found", equalTo(true)).body("data.status", equalTo("open"));
    }

    @Test
    @Order(5)
    void aTriggeredRunCompletesAndItsSignedCallbackArrivesOnce() throws Exception {
        String workflow = stack.get("workflow_id").asText();
        String callbackUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/tour";
        String requestId = "tour-" + UUID.randomUUID();
        Map<String, Object> trigger = Map.of("prompt", "hello from the tour", "request_id", requestId,
                "callback_url", callbackUrl, "request_metadata", Map.of("source", "e2e"));
        // The caller's own trace: the gateway, the workflow api, the worker and callback-service carry it to the
        // callback's traceparent header (through HTTP, the run, and the Kafka record headers).
        String trace = UUID.randomUUID().toString().replace("-", "");
        String runId = given().auth().oauth2(alice).contentType(ContentType.JSON).body(trigger)
                .header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")
                .post(gateway + "/api/agent-webhooks/" + workflow + "/trigger").then().statusCode(200)
                .body("data.run.status", equalTo("queued"))
                .extract().path("data.run.run_id");
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(trigger)
                .post(gateway + "/api/agent-webhooks/" + workflow + "/trigger").then()
                .body("data.status_url", equalTo(statusUrl(runId)));

        // The first run after a start also waits for the worker and callback-service to join their consumer groups.
        JsonNode run = await().atMost(Duration.ofSeconds(90)).until(() -> run(alice, runId),
                r -> "delivered".equals(r.path("callback_status").asText())
                        || "failed".equals(r.path("callback_status").asText()));
        assertEquals("delivered", run.path("callback_status").asText(), run.toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> callbacks.size() >= 1);
        assertEquals("completed", run.get("status").asText());
        assertEquals("You said: hello from the tour", run.get("response_text").asText());
        assertEquals(204, run.get("callback_last_status").asInt());

        assertEquals(1, callbacks.size(), "one POST per run");
        @SuppressWarnings("unchecked")
        Map<String, List<String>> headers = (Map<String, List<String>>) callbacks.getFirst().get("headers");
        String body = (String) callbacks.getFirst().get("body");
        String secret = given().auth().oauth2(alice).get(gateway + "/api/agent-webhooks/signing-secret").then()
                .statusCode(200).extract().path("data.secret");
        new Webhook(secret).verify(body, headers);
        String traceparent = headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("traceparent"))
                .map(h -> h.getValue().getFirst()).findFirst().orElse("");
        assertTrue(traceparent.matches("00-" + trace + "-[0-9a-f]{16}-0[01]"),
                "the callback continues the trigger's trace: " + traceparent);
        JsonNode posted = JSON.readTree(body);
        assertEquals(runId, posted.at("/data/run/run_id").asText());
        assertEquals("completed", posted.at("/data/run/status").asText());

        // The same request again: the same run, 202.
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(trigger)
                .post(gateway + "/api/agent-webhooks/" + workflow + "/trigger").then().statusCode(202)
                .body("data.run.run_id", equalTo(runId));

        // Another user cannot see it.
        given().auth().oauth2(bob).get(gateway + "/api/agent-webhooks/runs/" + runId).then().statusCode(404)
                .body("success", equalTo(false));
    }

    @Test
    @Order(6)
    void aWorkflowNotOnTheBudgetIsA409() {
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("prompt", "may I?"))
                .post(gateway + "/api/agent-webhooks/" + stack.get("blocked_workflow_id").asText() + "/trigger")
                .then().statusCode(409).body("success", equalTo(false))
                .body("error", equalTo("workflow_not_on_budget"));
    }

    @Test
    @Order(7)
    void aSlowRunIsCancelledWhileItRuns() {
        String runId = given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("prompt", "take your time"))
                .post(gateway + "/api/agent-webhooks/" + stack.get("slow_workflow_id").asText() + "/trigger")
                .then().statusCode(200).extract().path("data.run.run_id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "running".equals(run(alice, runId).path("status").asText()));
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("reason", "the tour is in a hurry"))
                .post(gateway + "/api/agent-webhooks/runs/" + runId + "/cancel").then().statusCode(200);
        JsonNode run = await().atMost(Duration.ofSeconds(30)).until(() -> run(alice, runId),
                r -> "cancelled".equals(r.path("status").asText()));
        assertEquals("the tour is in a hurry", run.get("cancel_reason").asText());
        assertTrue(run.at("/run_metadata/steps_executed").size() < 7, "stopped before its last step");
    }

    @Test
    @Order(8)
    void aRunIsFollowedWithoutPollingThroughTheGateway() throws Exception {
        String workflow = stack.get("slow_workflow_id").asText();
        // The long-poll: each read answers when the status changes, so a run of several seconds takes a few reads.
        String runId = given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("prompt", "follow me"))
                .post(gateway + "/api/agent-webhooks/" + workflow + "/trigger").then().statusCode(200)
                .extract().path("data.run.run_id");
        // Another user waiting on it is refused at once, not after the wait.
        long refusedAt = System.nanoTime();
        given().auth().oauth2(bob).get(statusUrl(runId) + "?wait_seconds=30").then().statusCode(404)
                .body("success", equalTo(false)).body("error", equalTo("run_not_found"));
        given().auth().oauth2(bob).get(statusUrl(runId) + "/events").then().statusCode(404)
                .body("error", equalTo("run_not_found"));
        assertTrue((System.nanoTime() - refusedAt) / 1_000_000 < 10_000, "refused without waiting");
        String status = "queued";
        int reads = 0;
        while (!List.of("completed", "failed", "cancelled", "setup_required").contains(status) && reads < 10) {
            String previous = status;
            status = given().auth().oauth2(alice).get(statusUrl(runId) + "?wait_seconds=30&status=" + previous)
                    .then().statusCode(200)
                    .body("data.run.run_id", equalTo(runId)).extract().path("data.run.status");
            reads++;
            assertTrue(!status.equals(previous) || reads == 1, "a read answers with a change: " + status);
        }
        assertEquals("completed", status);
        assertTrue(reads <= 3, "queued, running, completed take at most three waiting reads: " + reads);

        // The event stream, through the gateway: the run, each change, then the end of the stream.
        String streamed = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("prompt", "stream me")).post(gateway + "/api/agent-webhooks/" + workflow + "/trigger")
                .then().statusCode(200).extract().path("data.run.run_id");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create(statusUrl(streamed)
                + "/events")).header("Authorization", "Bearer " + alice).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        List<String> statuses = stream.body().filter(line -> line.startsWith("data:"))
                .map(line -> statusIn(line.substring("data:".length()))).toList();
        assertEquals("completed", statuses.getLast(), statuses.toString());
        assertEquals(statuses.stream().distinct().toList(), statuses, "one event per status");
        assertTrue(statuses.size() >= 2, statuses.toString());
    }

    @Test
    @Order(9)
    void aBudgetsRunLimitKeepsItsFloodFromHoldingEveryWorkerSlot() throws Exception {
        String admin = token(stack.get("admin_key").asText());
        String budget = stack.get("budget_id").asText();
        String slow = stack.get("slow_workflow_id").asText();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("max_concurrent_runs", 2))
                .put(gateway + "/admin/run-limits/" + budget).then().statusCode(200)
                .body("data.limit.max_concurrent_runs", equalTo(2));
        List<String> flood = new java.util.ArrayList<>();
        try {
            // Alice floods the worker with slow runs (about 12 s each); her budget may run two at once.
            for (int i = 0; i < 6; i++) {
                flood.add(given().auth().oauth2(alice).contentType(ContentType.JSON)
                        .body(Map.of("prompt", "flood " + i)).post(gateway + "/api/agent-webhooks/" + slow + "/trigger")
                        .then().statusCode(200).extract().path("data.run.run_id"));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> statuses(flood).get("running") == 2);
            // Bob's run does not wait for her flood: the worker's other slots are free for him.
            long start = System.nanoTime();
            String bobs = given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of("prompt", "me too"))
                    .post(gateway + "/api/agent-webhooks/" + stack.get("workflow_id").asText() + "/trigger").then()
                    .statusCode(200).extract().path("data.run.run_id");
            String bobStatus = given().auth().oauth2(bob).get(statusUrl(bobs) + "?wait_seconds=10").then()
                    .statusCode(200).extract().path("data.run.status");
            if (!"completed".equals(bobStatus)) {
                bobStatus = given().auth().oauth2(bob).get(statusUrl(bobs) + "?wait_seconds=10").then()
                        .statusCode(200).extract().path("data.run.status");
            }
            assertEquals("completed", bobStatus);
            assertTrue((System.nanoTime() - start) / 1_000_000_000 < 10, "Bob's run waited for Alice's flood");
            Map<String, Long> meanwhile = statuses(flood);
            assertEquals(2L, meanwhile.get("running"), "her limit holds: " + meanwhile);
            assertEquals(4L, meanwhile.get("queued"), "the rest of her flood waits, queued: " + meanwhile);

            // A run waiting for its budget's turn is still queued, so its cancel takes effect at once.
            String waiting = flood.stream().filter(id -> "queued".equals(statusOf(alice, id))).findFirst()
                    .orElseThrow();
            given().auth().oauth2(alice).post(statusUrl(waiting) + "/cancel").then().statusCode(200)
                    .body("data.run.status", equalTo("cancelled"));
        } finally {
            given().auth().oauth2(admin).delete(gateway + "/admin/run-limits/" + budget).then().statusCode(200)
                    .body("data.limit.source", equalTo("platform_default"));
            for (String run : flood) {
                given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("reason", "tour over"))
                        .post(statusUrl(run) + "/cancel");
            }
        }
    }

    private static Map<String, Long> statuses(List<String> runs) {
        Map<String, Long> counts = new java.util.HashMap<>(Map.of("queued", 0L, "running", 0L));
        for (String run : runs) {
            counts.merge(statusOf(alice, run), 1L, Long::sum);
        }
        return counts;
    }

    private static String statusOf(String token, String runId) {
        return given().auth().oauth2(token).get(statusUrl(runId)).then().statusCode(200).extract()
                .path("data.run.status");
    }

    static String statusIn(String body) {
        try {
            return JSON.readTree(body).at("/data/run/status").asText();
        } catch (IOException e) {
            throw new IllegalStateException(body, e);
        }
    }

    static String statusUrl(String runId) {
        return gateway + "/api/agent-webhooks/runs/" + runId;
    }

    static JsonNode run(String token, String runId) throws IOException {
        String body = given().auth().oauth2(token).get(gateway + "/api/agent-webhooks/runs/" + runId).then()
                .statusCode(200).extract().asString();
        return JSON.readTree(body).at("/data/run");
    }

    static int balance(String token) {
        return given().auth().oauth2(token).get(gateway + "/credits/balance").then().statusCode(200)
                .extract().path("data.balance");
    }

    static JsonNode history(String token) {
        try {
            return JSON.readTree(given().auth().oauth2(token).get(gateway + "/credits/history?limit=5").then()
                    .statusCode(200).extract().asString()).get("data");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
