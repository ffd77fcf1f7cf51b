package dev.tollgate.credits.ledger;

import static dev.tollgate.localstack.testing.BenchmarkReport.median;
import static dev.tollgate.localstack.testing.BenchmarkReport.millis;
import static dev.tollgate.localstack.testing.BenchmarkReport.percentile;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.tollgate.localstack.testing.ServiceProcess;
import dev.tollgate.localstack.testing.BenchmarkReport;
import dev.tollgate.localstack.testing.LocalStackProcess;
import dev.tollgate.localstack.testing.TestTokens;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark harness (not a test: it asserts nothing about speed). Measures hold+capture cycles per second and
 * their latency through the packaged service, side by side in the same run with the raw store doing the same
 * decision and single-document conditional update per step, on one hot account and spread over 1,000 accounts.
 * Writes its section of docs/benchmarks.md. Run with {@code bench/run credits}.
 */
@EnabledIfSystemProperty(named = "tollgate.benchmark", matches = "true")
class CreditsBenchmarkIT {

    static final Path JAR = Path.of(System.getProperty("tollgate.service.jar"));

    static final int CLIENTS = Integer.getInteger("tollgate.benchmark.clients", 16);
    static final Duration PHASE = Duration.ofSeconds(Long.getLong("tollgate.benchmark.phase-seconds", 8));
    static final Duration WARMUP = Duration.ofSeconds(Long.getLong("tollgate.benchmark.warmup-seconds", 5));
    static final int ROUNDS = Integer.getInteger("tollgate.benchmark.rounds", 3);
    static final int SPREAD_ACCOUNTS = 1000;

    record Phase(String name, long cycles, Duration elapsed, List<Long> latencies) {
        double perSecond() {
            return cycles / (elapsed.toNanos() / 1e9);
        }
    }

    @Test
    void holdsAndCapturesThroughTheServiceVersusTheRawStore() throws Exception {
        try (LocalStackProcess stack = LocalStackProcess.start();
                MongoClient mongo = MongoClients.create(stack.mongoConnectionString());
                ServiceProcess service = new ServiceProcess("credits-service", JAR, stack, Map.of("QUARKUS_LOG_LEVEL", "WARN"))) {
            service.start();
            var key = TestTokens.readPrivateKey(stack.privateKey());
            String admin = TestTokens.token("admin", null, Set.of("user", "admin"), Duration.ofHours(1), key);
            String serviceToken = TestTokens.token("bench", null, Set.of("service"), Duration.ofHours(1), key);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            List<String> hot = List.of("bench-hot-" + UUID.randomUUID());
            List<String> spread = new ArrayList<>();
            for (int i = 0; i < SPREAD_ACCOUNTS; i++) {
                spread.add("bench-spread-" + i + "-" + UUID.randomUUID());
            }
            for (String u : concat(hot, spread)) {
                post(http, service.baseUrl() + "/admin/credits/grants", admin, "grant-" + u,
                        "{\"user_id\":\"" + u + "\",\"amount_credits\":1000000000000,\"credit_type\":\"admin_grant\"}");
            }
            MongoCollection<Document> raw = mongo.getDatabase("tollgate-bench").getCollection("accounts");
            for (String u : concat(hot, spread)) {
                Account a = Account.empty(u).grant("g-" + u, "k", 1_000_000_000_000L, "admin_grant", Map.of(), null,
                        Instant.now()).after();
                raw.insertOne(AccountDocuments.newAccount(a, List.of(), List.of()));
            }

            Consumer<String> viaService = user -> {
                String holdId = "bench-" + UUID.randomUUID();
                String base = service.baseUrl() + "/internal/credits/accounts/" + user + "/holds";
                post(http, base, serviceToken, null, "{\"hold_id\":\"" + holdId + "\",\"amount_credits\":"
                        + (1 + ThreadLocalRandom.current().nextInt(50)) + "}");
                post(http, base + "/" + holdId + "/capture", serviceToken, null, "");
            };
            Consumer<String> viaStore = user -> {
                String holdId = "bench-" + UUID.randomUUID();
                long amount = 1 + ThreadLocalRandom.current().nextInt(50);
                casLoop(raw, user, a -> a.placeHold(holdId, amount, Duration.ofMinutes(10), Instant.now()));
                casLoop(raw, user, a -> a.capture(holdId, Instant.now()));
            };

            StringBuilder report = new StringBuilder();
            report.append(header());
            for (var scenario : List.of(Map.entry("one hot account", hot),
                    Map.entry("spread over " + SPREAD_ACCOUNTS + " accounts", spread))) {
                run("warm-up", scenario.getValue(), viaService, WARMUP);
                run("warm-up", scenario.getValue(), viaStore, WARMUP);
                List<Phase> svc = new ArrayList<>();
                List<Phase> store = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    store.add(run("store", scenario.getValue(), viaStore, PHASE));
                    svc.add(run("service", scenario.getValue(), viaService, PHASE));
                }
                report.append(row(scenario.getKey(), svc, store));
            }
            report.append(footer());
            BenchmarkReport.write("credits", report.toString());
            System.out.println(report);
        }
    }

    private static Phase run(String name, List<String> users, Consumer<String> cycle, Duration duration)
            throws Exception {
        AtomicLong cycles = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    cycle.accept(users.get(ThreadLocalRandom.current().nextInt(users.size())));
                    latencies.add(System.nanoTime() - t0);
                    cycles.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return new Phase(name, cycles.get(), Duration.ofNanos(System.nanoTime() - start), new ArrayList<>(latencies));
    }

    /** The raw store doing what the service does per step: read, decide, one conditional update on version. */
    private static void casLoop(MongoCollection<Document> raw, String user,
            java.util.function.Function<Account, Account.Change> op) {
        while (true) {
            Document d = raw.find(Filters.eq("_id", user)).first();
            Account before = AccountDocuments.account(d);
            Account after = op.apply(before).after();
            List<Bson> updates = new ArrayList<>(AccountDocuments.stateUpdates(after));
            updates.add(Updates.inc("version", 1L));
            var result = raw.updateOne(Filters.and(Filters.eq("_id", user), Filters.eq("version", before.version())),
                    Updates.combine(updates));
            if (result.getModifiedCount() == 1) {
                return;
            }
        }
    }

    private static void post(HttpClient http, String url, String token, String idempotencyKey, String body) {
        var builder = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        try {
            var response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String row(String scenario, List<Phase> svc, List<Phase> store) {
        double svcRate = median(svc.stream().map(Phase::perSecond).toList());
        double storeRate = median(store.stream().map(Phase::perSecond).toList());
        List<Long> svcLat = svc.stream().flatMap(p -> p.latencies().stream()).sorted().toList();
        List<Long> storeLat = store.stream().flatMap(p -> p.latencies().stream()).sorted().toList();
        return String.format(Locale.ROOT, "| %s | %.0f | %.1f | %.1f | %.0f | %.1f | %.1f | %.2f |%n", scenario,
                svcRate, millis(percentile(svcLat, 50)), millis(percentile(svcLat, 99)),
                storeRate, millis(percentile(storeLat, 50)), millis(percentile(storeLat, 99)), svcRate / storeRate);
    }

    private static String header() {
        return String.format(Locale.ROOT, """
                ## credits-service: holds + captures

                Command: `bench/run credits`. Run on %s. %d concurrent clients on loopback; %d rounds of %d s per
                side, alternating store and service, after %d s of warm-up each; rates are the median round, latencies
                the percentiles over all rounds. One cycle = place a hold, then capture it (two HTTP calls through the
                service; two read + conditional-update steps on the raw store, using the same `Account` decisions).
                The service also relays each transaction to its collection and to Kafka, which the raw side does not.

                | scenario | service cycles/s | service p50 ms | service p99 ms | raw store cycles/s | raw p50 ms | raw p99 ms | service / raw |
                |---|---|---|---|---|---|---|---|
                """, BenchmarkReport.machine(), CLIENTS, ROUNDS, PHASE.toSeconds(), WARMUP.toSeconds());
    }

    private static String footer() {
        return "\nTarget: the service reaches at least half the raw store's rate (ratio >= 0.50).\n";
    }






    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
