package dev.tollgate.catalog.bench;

import static dev.tollgate.localstack.testing.BenchmarkReport.millis;
import static dev.tollgate.localstack.testing.BenchmarkReport.percentile;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.tollgate.localstack.testing.BenchmarkReport;
import dev.tollgate.localstack.testing.LocalStackProcess;
import dev.tollgate.localstack.testing.ServiceProcess;
import dev.tollgate.localstack.testing.TestTokens;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark harness (asserts nothing about speed): {@code /products/fetch} with 10,000 products on the budget (first
 * and last page of 100), and purchases of a built-in tool per second, through the packaged catalog-service with the
 * real credits-service behind it. Writes its section of docs/benchmarks.md. Run with {@code bench/run catalog}.
 */
@EnabledIfSystemProperty(named = "tollgate.benchmark", matches = "true")
class CatalogBenchmarkIT {

    static final int PRODUCTS = 10_000;
    static final Duration PHASE = Duration.ofSeconds(Long.getLong("tollgate.benchmark.phase-seconds", 8));

    record Phase(long requests, long failures, Duration elapsed, List<Long> latencies) {
        double perSecond() {
            return requests / (elapsed.toNanos() / 1e9);
        }
    }

    @Test
    void fetchAndPurchase() throws Exception {
        try (LocalStackProcess stack = LocalStackProcess.start();
                MongoClient mongo = MongoClients.create(stack.mongoConnectionString());
                ServiceProcess credits = new ServiceProcess("credits-service", ServiceProcess.siblingJar("credits-service"),
                        stack, Map.of("QUARKUS_LOG_LEVEL", "WARN")).start();
                ServiceProcess catalog = new ServiceProcess("catalog-service",
                        Path.of(System.getProperty("tollgate.service.jar")), stack, Map.of(
                                "QUARKUS_LOG_LEVEL", "WARN", "TOLLGATE_CREDITS_URL", credits.baseUrl(),
                                "TOLLGATE_CATALOG_CREDENTIALS_KEY", Base64.getEncoder().encodeToString(new byte[32])))
                        .start()) {
            var key = TestTokens.readPrivateKey(stack.privateKey());
            String admin = TestTokens.token("admin", null, Set.of("user", "admin"), Duration.ofHours(1), key);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            String budget = post(http, catalog.baseUrl() + "/admin/budgets", admin,
                    "{\"owner_user_id\":\"bench-user\",\"name\":\"bench\"}");
            String budgetId = budget.replaceAll(".*\"budget_id\":\"([0-9a-f]{24})\".*", "$1");
            // Seed 10,000 products on the budget straight into the store (the admin API would only slow the setup).
            var products = mongo.getDatabase("tollgate-catalog").getCollection("products");
            var pairs = mongo.getDatabase("tollgate-catalog").getCollection("budget_products");
            List<Document> pairBatch = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < PRODUCTS; i++) {
                ObjectId id = new ObjectId();
                ids.add(id.toHexString());
                batch.add(new Document("_id", id).append("slug", String.format("bench-%05d", i))
                        .append("name", String.format("bench_tool_%05d", i)).append("displayName", "Bench tool " + i)
                        .append("description", "A benchmark tool").append("priceCredits", 1L)
                        .append("invocation", "builtin").append("builtinTool", "text_stats").append("status", "active")
                        .append("actions", List.of(new Document("name", "analyze").append("description", "stats")
                                .append("parametersSchema", "{\"type\":\"object\",\"required\":[\"text\"],\"properties\":{\"text\":{\"type\":\"string\"}}}")))
                        .append("createdAt", Date.from(Instant.now())));
                pairBatch.add(new Document("_id", budgetId + ":" + id.toHexString()).append("budgetId", budgetId)
                        .append("productId", id.toHexString()).append("name", String.format("bench_tool_%05d", i))
                        .append("active", true));
                if (batch.size() == 1000) {
                    products.insertMany(batch);
                    pairs.insertMany(pairBatch);
                    batch.clear();
                    pairBatch.clear();
                }
            }
            post(http, credits.baseUrl() + "/admin/credits/grants", admin,
                    "{\"user_id\":\"bench-user\",\"amount_credits\":100000000,\"credit_type\":\"admin_grant\"}");
            String user = TestTokens.token("bench-user", budgetId, Set.of("user"), Duration.ofHours(1), key);

            String first = catalog.baseUrl() + "/products/fetch?page=1&page_size=100";
            String last = catalog.baseUrl() + "/products/fetch?page=100&page_size=100";
            run(4, Duration.ofSeconds(4), () -> get(http, first, user)); // warm-up
            Phase firstPage = run(4, PHASE, () -> get(http, first, user));
            Phase lastPage = run(4, PHASE, () -> get(http, last, user));

            String purchase = "{\"product_id\":\"" + ids.getFirst()
                    + "\",\"parameters\":{\"action\":\"analyze\",\"text\":\"the quick brown fox jumps over the lazy dog\"}}";
            run(16, Duration.ofSeconds(4), () -> postStatus(http, catalog.baseUrl() + "/products/purchase", user, purchase));
            Phase purchases = run(16, PHASE, () -> postStatus(http, catalog.baseUrl() + "/products/purchase", user, purchase));

            String section = String.format(Locale.ROOT, """
                    ## catalog-service: fetch and purchase

                    Command: `bench/run catalog`. Run on %s. The packaged catalog-service with the real credits-service
                    behind it, on loopback; %d products on the caller's budget; %d s per phase after a warm-up.

                    | what | clients | requests/s | p50 ms | p99 ms | failures |
                    |---|---|---|---|---|---|
                    %s%s%s
                    A purchase is: validate against the action schema, record the order, hold in credits-service, run the
                    built-in tool, record its answer, capture, settle the order (two calls to credits-service).
                    """, BenchmarkReport.machine(), PRODUCTS, PHASE.toSeconds(),
                    row("`/products/fetch` first page (100 tools)", 4, firstPage),
                    row("`/products/fetch` last page (page 100)", 4, lastPage),
                    row("`/products/purchase` (text_stats)", 16, purchases));
            BenchmarkReport.write("catalog", section);
            System.out.println(section);
        }
    }

    private static String row(String what, int clients, Phase p) {
        List<Long> sorted = p.latencies().stream().sorted().toList();
        return String.format(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.1f | %d |%n", what, clients, p.perSecond(),
                millis(percentile(sorted, 50)), millis(percentile(sorted, 99)), p.failures());
    }

    interface Request {
        int send() throws Exception;
    }

    private static Phase run(int clients, Duration duration, Request request) throws Exception {
        AtomicLong count = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    int status = request.send();
                    latencies.add(System.nanoTime() - t0);
                    count.incrementAndGet();
                    if (status != 200) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return new Phase(count.get(), failures.get(), Duration.ofNanos(System.nanoTime() - start), new ArrayList<>(latencies));
    }

    private static int get(HttpClient http, String url, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int postStatus(HttpClient http, String url, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String post(HttpClient http, String url, String token, String body) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
