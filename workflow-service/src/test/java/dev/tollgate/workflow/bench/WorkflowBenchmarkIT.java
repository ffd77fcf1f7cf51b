package dev.tollgate.workflow.bench;

import static dev.tollgate.localstack.testing.BenchmarkReport.millis;
import static dev.tollgate.localstack.testing.BenchmarkReport.percentile;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import dev.tollgate.localstack.testing.BenchmarkReport;
import dev.tollgate.localstack.testing.LocalStackProcess;
import dev.tollgate.localstack.testing.ServiceProcess;
import dev.tollgate.localstack.testing.TestTokens;
import dev.tollgate.localstack.testing.WorkerGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark harness (asserts nothing about speed): trigger acknowledgement latency at fixed request rates, and runs
 * completed per second (trigger to {@code completed}) for a one-step template workflow with one worker process and
 * with two. All processes are the packaged services on loopback. Run with {@code bench/run workflow}.
 */
@EnabledIfSystemProperty(named = "tollgate.benchmark", matches = "true")
class WorkflowBenchmarkIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int RUNS_PER_BATCH = Integer.getInteger("tollgate.benchmark.runs", 400);

    @Test
    void triggersAndRuns() throws Exception {
        Path jar = Path.of(System.getProperty("tollgate.service.jar"));
        try (LocalStackProcess stack = LocalStackProcess.start("--partitions", "4");
                MongoClient mongo = MongoClients.create(stack.mongoConnectionString());
                ServiceProcess catalog = new ServiceProcess("catalog-service", ServiceProcess.siblingJar("catalog-service"),
                        stack, Map.of("QUARKUS_LOG_LEVEL", "WARN",
                                "TOLLGATE_CATALOG_CREDENTIALS_KEY", Base64.getEncoder().encodeToString(new byte[32]))).start();
                ServiceProcess api = new ServiceProcess("workflow-api", jar, stack, Map.of("QUARKUS_LOG_LEVEL", "WARN",
                        "TOLLGATE_CATALOG_URL", catalog.baseUrl())).start();
                ServiceProcess worker1 = worker(jar, stack, catalog)) {
            var key = TestTokens.readPrivateKey(stack.privateKey());
            String admin = TestTokens.token("admin", null, Set.of("user", "admin"), Duration.ofHours(1), key);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String wf = JSON.readTree(post(http, api.baseUrl() + "/admin/workflows", admin,
                    "{\"name\":\"bench\",\"steps\":[{\"id\":\"a\",\"type\":\"template\",\"template\":\"ok {prompt}\"}]}"))
                    .at("/data/workflow/workflow_id").asText();
            String budget = JSON.readTree(post(http, catalog.baseUrl() + "/admin/budgets", admin,
                    "{\"owner_user_id\":\"bench\",\"name\":\"b\"}")).at("/data/budget_id").asText();
            put(http, catalog.baseUrl() + "/admin/budgets/" + budget + "/workflows/" + wf, admin);
            String user = TestTokens.token("bench", budget, Set.of("user"), Duration.ofHours(1), key);
            String trigger = api.baseUrl() + "/api/agent-webhooks/" + wf + "/trigger";

            batch(http, trigger, user, mongo, 100); // warm-up
            StringBuilder rows = new StringBuilder();
            for (int rate : List.of(25, 50, 100)) {
                rows.append(fixedRate(http, trigger, user, rate, Duration.ofSeconds(8)));
            }
            double one = batch(http, trigger, user, mongo, RUNS_PER_BATCH);
            try (ServiceProcess worker2 = worker(jar, stack, catalog)) {
                WorkerGroup.awaitMembers(stack.kafkaBootstrap(), 2);
                double two = batch(http, trigger, user, mongo, RUNS_PER_BATCH);
                String section = String.format(Locale.ROOT, """
                        ## workflow-service: triggers and runs

                        Command: `bench/run workflow`. Run on %s. Packaged workflow-service (api role, and worker
                        processes), catalog-service for authorizations, one local stack (`workflow.run.requested` has 4
                        partitions); a one-step template workflow; loopback only.

                        Trigger acknowledgement at a fixed request rate (open loop, 8 s each):

                        | offered rate | achieved | p50 ms | p99 ms | errors |
                        |---|---|---|---|---|
                        %s
                        Runs completed per second, %d runs triggered as fast as 8 clients can, from the first trigger to
                        the last `completed`: **%.0f/s with one worker, %.0f/s with two** (ratio %.2f; both workers share
                        this machine's 2 cores with everything else, so the second worker adds consumers, not CPU).
                        """, BenchmarkReport.machine(), rows, RUNS_PER_BATCH, one, two, two / one);
                BenchmarkReport.write("workflow", section);
                System.out.println(section);
            }
        }
    }

    static ServiceProcess worker(Path jar, LocalStackProcess stack, ServiceProcess catalog) {
        return new ServiceProcess("workflow-worker", jar, stack, Map.of("QUARKUS_LOG_LEVEL", "WARN",
                "TOLLGATE_WORKFLOW_ROLE", "worker", "TOLLGATE_CATALOG_URL", catalog.baseUrl())).start();
    }

    private static String fixedRate(HttpClient http, String url, String token, int rate, Duration duration)
            throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long total = rate * duration.toSeconds();
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing an open-loop load generator
            }
            all.add(CompletableFuture.runAsync(() -> {
                long t0 = System.nanoTime();
                int status = send(http, url, token, "{\"prompt\":\"bench\"}");
                latencies.add(System.nanoTime() - t0);
                if (status != 200) {
                    errors.incrementAndGet();
                }
            }, senders));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        double achieved = total / ((System.nanoTime() - start) / 1e9);
        senders.shutdown();
        List<Long> sorted = latencies.stream().sorted().toList();
        return String.format(Locale.ROOT, "| %d/s | %.0f/s | %.1f | %.1f | %d |%n", rate, achieved,
                millis(percentile(sorted, 50)), millis(percentile(sorted, 99)), errors.get());
    }

    /** Triggers n runs with 8 clients and returns runs completed per second, first trigger to last completion. */
    private static double batch(HttpClient http, String url, String token, MongoClient mongo, int n) throws Exception {
        String tag = UUID.randomUUID().toString();
        long start = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(CompletableFuture.runAsync(() -> send(http, url, token, "{\"prompt\":\"" + tag + "\"}"), clients));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        clients.shutdown();
        var runs = mongo.getDatabase("tollgate-workflow").getCollection("runs");
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50)).until(() ->
                runs.countDocuments(Filters.and(Filters.eq("prompt", tag), Filters.eq("status", "COMPLETED"))) == n);
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static int send(HttpClient http, String url, String token, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String post(HttpClient http, String url, String token, String body) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static void put(HttpClient http, String url, String token) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

}
