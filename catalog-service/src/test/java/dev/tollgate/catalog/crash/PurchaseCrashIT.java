package dev.tollgate.catalog.crash;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import dev.tollgate.localstack.testing.LocalStackProcess;
import dev.tollgate.localstack.testing.PrometheusText;
import dev.tollgate.localstack.testing.ServiceProcess;
import dev.tollgate.localstack.testing.TestTokens;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Purchases interrupted by SIGKILL, with the real credits-service and catalog-service as processes. Whatever the
 * moment of the kill, a purchase is charged at most once, and repeating it with the same {@code Idempotency-Key}
 * answers the first outcome without charging again:
 * <ul>
 * <li>catalog killed while the tool runs (credit held, no answer recorded): after a restart the hold is released,
 * nothing is charged, and the retry answers the interruption;
 * <li>credits-service killed while the tool runs, so the capture after the answer fails (the purchase answers its
 * result with the charge pending), then catalog killed too: after both restart, the recorded answer is charged
 * exactly once, and the retry answers it without a second charge.
 * </ul>
 */
class PurchaseCrashIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long PRICE = 10;
    static final long GRANTED = 100;

    @Test
    void anOrderInterruptedBetweenHoldAndAnswerIsReleasedAndItsRetryChargesNothing() throws Exception {
        try (LocalStackProcess stack = LocalStackProcess.start();
                MongoClient mongo = MongoClients.create(stack.mongoConnectionString());
                ServiceProcess credits = new ServiceProcess("credits-service", ServiceProcess.siblingJar("credits-service"),
                        stack, Map.of()).start();
                ServiceProcess catalog = catalog(stack, credits, "PT3S").start()) {
            // Killed at once, long before the 3 s after which the restarted catalog's sweep settles the order.
            Shop shop = Shop.open(stack, catalog, credits, "crash-user", 30);

            shop.purchase("retry-1");
            // No write between hold and answer: the hold recorded by credits-service with the order still PENDING
            // is the moment of the kill (credit held, tool running, no answer).
            await().atMost(Duration.ofSeconds(20)).until(() -> shop.balance() == GRANTED - PRICE
                    && "PENDING".equals(shop.state(mongo)));

            catalog.kill();
            catalog.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(shop.state(mongo)));
            assertEquals(GRANTED, shop.balance(), "an interrupted call is never charged");
            assertEquals("interrupted", shop.order(mongo).getString("errorCode"));

            HttpResponse<String> retry = shop.purchase("retry-1").get(30, TimeUnit.SECONDS);
            assertEquals(503, retry.statusCode(), retry.body());
            assertEquals("interrupted", JSON.readTree(retry.body()).path("error").asText());
            assertEquals(GRANTED, shop.balance(), "the retry answers the first outcome and holds nothing");
            assertEquals(1, shop.orders(mongo));
        }
    }

    @Test
    void anAnsweredOrderWhoseCaptureWasInterruptedIsChargedExactlyOnceAndItsRetryAnswersIt() throws Exception {
        try (LocalStackProcess stack = LocalStackProcess.start();
                MongoClient mongo = MongoClients.create(stack.mongoConnectionString());
                ServiceProcess credits = new ServiceProcess("credits-service", ServiceProcess.siblingJar("credits-service"),
                        stack, Map.of()).start();
                ServiceProcess catalog = catalog(stack, credits, "PT15S").start()) {
            // The tool (5 s) must answer before the sweep would take the order for interrupted (15 s).
            Shop shop = Shop.open(stack, catalog, credits, "crash-user-2", 5);

            CompletableFuture<HttpResponse<String>> first = shop.purchase("retry-2");
            // The balance drops when credits-service commits the hold, a moment before catalog has read its answer;
            // killed in between, the hold itself fails (503, order PENDING, released later): another test's case.
            await().atMost(Duration.ofSeconds(20)).until(() -> shop.balance() == GRANTED - PRICE
                    && shop.holdsAnswered() == 1);
            credits.kill(); // the hold is durable; the capture after the tool's answer finds nobody

            // The tool answered and its price is held: a purchase made, answered with its result and the charge
            // pending (issue 16: it used to answer 503 "nothing was charged" and then charge it).
            HttpResponse<String> answer = first.get(60, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals("pending", JSON.readTree(answer.body()).path("settlement").asText(), answer.body());
            Document held = shop.order(mongo);
            assertEquals("HELD", held.getString("state"), "the answer is recorded before the capture is tried");
            assertNotNull(held.getString("resultJson"));

            catalog.kill(); // and catalog dies before anything settles the order
            credits.start();
            catalog.start();

            await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(shop.state(mongo)));
            assertEquals(GRANTED - PRICE, shop.balance(), "the recorded answer is charged once");

            HttpResponse<String> retry = shop.purchase("retry-2").get(30, TimeUnit.SECONDS);
            assertEquals(200, retry.statusCode(), retry.body());
            JsonNode body = JSON.readTree(retry.body());
            assertEquals(held.getString("_id"), body.path("order_id").asText());
            assertEquals(PRICE, body.path("charged_credits").asLong());
            assertEquals(GRANTED - PRICE, shop.balance(), "the retry is not charged again");
            assertEquals(1, shop.orders(mongo));
        }
    }

    private static ServiceProcess catalog(LocalStackProcess stack, ServiceProcess credits, String recoverAfter) {
        Map<String, String> env = Map.of(
                "TOLLGATE_CREDITS_URL", credits.baseUrl(),
                "TOLLGATE_CATALOG_CREDENTIALS_KEY", Base64.getEncoder().encodeToString(new byte[32]),
                "TOLLGATE_CATALOG_PURCHASES_RECOVER_AFTER", recoverAfter,
                "TOLLGATE_CATALOG_PURCHASES_SWEEP_INTERVAL", "1s");
        return new ServiceProcess("catalog-service", Path.of(System.getProperty("tollgate.service.jar")), stack, env);
    }

    /** One user with a budget enabling one slow priced tool, and the calls the test makes as that user. */
    record Shop(HttpClient http, ServiceProcess catalog, ServiceProcess credits, String userId, String token,
            String product, int waitSeconds) {

        static Shop open(LocalStackProcess stack, ServiceProcess catalog, ServiceProcess credits, String userId,
                int waitSeconds) throws Exception {
            var key = TestTokens.readPrivateKey(stack.privateKey());
            String admin = TestTokens.token("admin", null, Set.of("user", "admin"), Duration.ofMinutes(10), key);
            HttpClient http = HttpClient.newHttpClient();
            String product = call(http, "POST", catalog.baseUrl() + "/admin/products", admin,
                    "{\"slug\":\"slow\",\"name\":\"slow\",\"display_name\":\"Slow\",\"description\":\"waits\","
                            + "\"price_credits\":" + PRICE + ",\"invocation\":{\"type\":\"builtin\",\"tool\":\"wait\"}}")
                    .at("/data/product/product_id").asText();
            String budget = call(http, "POST", catalog.baseUrl() + "/admin/budgets", admin,
                    "{\"owner_user_id\":\"" + userId + "\",\"name\":\"b\"}").at("/data/budget_id").asText();
            call(http, "PUT", catalog.baseUrl() + "/admin/budgets/" + budget + "/products/" + product, admin, null);
            call(http, "POST", credits.baseUrl() + "/admin/credits/grants", admin,
                    "{\"user_id\":\"" + userId + "\",\"amount_credits\":" + GRANTED + ",\"credit_type\":\"admin_grant\"}");
            String user = TestTokens.token(userId, budget, Set.of("user"), Duration.ofMinutes(10), key);
            return new Shop(http, catalog, credits, userId, user, product, waitSeconds);
        }

        CompletableFuture<HttpResponse<String>> purchase(String idempotencyKey) {
            return http.sendAsync(HttpRequest.newBuilder(URI.create(catalog.baseUrl() + "/products/purchase"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("Idempotency-Key", idempotencyKey)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"product_id\":\"" + product
                            + "\",\"parameters\":{\"action\":\"wait\",\"seconds\":" + waitSeconds + "}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        long balance() throws Exception {
            return call(http, "GET", credits.baseUrl() + "/credits/balance", token, null).at("/data/balance").asLong();
        }

        /** Holds catalog has had answered 200 by credits-service, from its HTTP client metrics. */
        long holdsAnswered() throws Exception {
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(catalog.baseUrl() + "/q/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return (long) PrometheusText.sum(metrics.body(), "http_client_requests_seconds_count", "/holds\"",
                    "method=\"POST\"", "status=\"200\"");
        }

        Document order(MongoClient mongo) {
            return mongo.getDatabase("tollgate-catalog").getCollection("orders").find(Filters.eq("userId", userId))
                    .first();
        }

        String state(MongoClient mongo) {
            Document order = order(mongo);
            return order == null ? null : order.getString("state");
        }

        long orders(MongoClient mongo) {
            return mongo.getDatabase("tollgate-catalog").getCollection("orders").countDocuments(Filters.eq("userId", userId));
        }
    }

    private static JsonNode call(HttpClient http, String method, String url, String token, String body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", "k-" + url.hashCode()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new AssertionError(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
