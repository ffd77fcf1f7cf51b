package dev.tollgate.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.localstack.launcher.LocalPlatform;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform-level drill: runs flow through the gateway at a steady rate, each with a request_id,
 * request_metadata and a callback to a receiver on 127.0.0.1; at a random moment the local stack (the JVM holding
 * the Kafka broker and the store) is killed with SIGKILL, triggering goes on while it is down, and the stack is
 * started again on the same folder and ports while every service stays up. Afterwards every trigger that was
 * answered 200 must still exist, reach a terminal state and be called back exactly once with that outcome.
 *
 * <p>The moment of the kill comes from a seeded random (logged; {@code -Dtollgate.drill.seed=...} replays a run).
 */
class StoreCrashDrillTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> LIFTED_RATE_LIMITS = Map.of(
            "TOLLGATE_GATEWAY_RATE_LIMITS_PER_IP_REQUESTS_PER_SECOND", "1000000",
            "TOLLGATE_GATEWAY_RATE_LIMITS_PER_IP_BURST", "1000000",
            "TOLLGATE_GATEWAY_RATE_LIMITS_PER_TOKEN_REQUESTS_PER_SECOND", "1000000",
            "TOLLGATE_GATEWAY_RATE_LIMITS_PER_TOKEN_BURST", "1000000");
    static final Duration TRIGGER_INTERVAL = Duration.ofMillis(125); // 8 triggers per second
    static final Duration DOWN_TIME = Duration.ofSeconds(3);
    static final Duration FLOW_AFTER_RECOVERY = Duration.ofSeconds(10);
    // Runs the crash interrupted are taken over once their 10 s lease expires; by the time the settling starts the
    // kill is at least DOWN_TIME + the restart + FLOW_AFTER_RECOVERY old.
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(45);
    static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "setup_required");

    enum Phase { BEFORE_CRASH, STACK_DOWN, AFTER_RESTART }

    /** One trigger as the client saw it: the answer's HTTP status (0: no answer) and the run it named. */
    record Trigger(int seq, String requestId, Phase phase, int status, String runId, String error) {
    }

    /** One POST the receiver got, as a receiver would dedupe it: by its webhook-id, naming a run and its outcome. */
    record Callback(String webhookId, String runId, String status) {
    }

    @TempDir
    Path workDir;

    LocalPlatform platform;
    HttpServer receiver;
    ExecutorService receiverThreads;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    final List<Trigger> triggers = new CopyOnWriteArrayList<>();
    final List<Callback> callbacks = new CopyOnWriteArrayList<>();
    volatile Phase phase = Phase.BEFORE_CRASH;

    @AfterEach
    void stop() throws IOException {
        if (receiver != null) {
            receiver.stop(0);
            receiverThreads.shutdownNow();
        }
        if (platform != null) {
            platform.down();
            keepLogs();
        }
    }

    /** The processes' logs (the killed local stack's too) outlive the temporary folder, for a failed CI run. */
    private void keepLogs() throws IOException {
        Path kept = Path.of("target", "store-crash-drill-logs");
        if (Files.isDirectory(platform.logs())) {
            if (Files.isDirectory(kept)) {
                try (var old = Files.list(kept)) {
                    for (Path log : old.toList()) {
                        Files.delete(log);
                    }
                }
            }
            Files.createDirectories(kept);
            try (var logs = Files.list(platform.logs())) {
                for (Path log : logs.toList()) {
                    Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void aKilledLocalStackLosesNoAcknowledgedRun() throws Exception {
        long seed = Long.getLong("tollgate.drill.seed", System.nanoTime());
        Random random = new Random(seed);
        // Between 3 and 10 s of steady triggering (after the first callback) before the kill.
        Duration beforeKill = Duration.ofMillis(3_000 + random.nextInt(7_000));
        System.out.printf("[drill] seed=%d (replay with -Dtollgate.drill.seed=%d): kill after %d ms of flow%n",
                seed, seed, beforeKill.toMillis());
        long started = System.nanoTime();

        platform = new LocalPlatform(Path.of(System.getProperty("tollgate.root", "..")), workDir, LIFTED_RATE_LIMITS);
        LocalPlatform.Result up = platform.up();
        assertEquals(0, up.exitCode(), up.output());
        JsonNode stack = JSON.readTree(Files.readString(platform.runDir.resolve("stack.json")));
        String gateway = stack.get("gateway_url").asText();
        String token = token(gateway, stack.get("api_key").asText());
        String triggerUrl = gateway + "/api/agent-webhooks/" + stack.get("workflow_id").asText() + "/trigger";
        startReceiver();
        String callbackUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/drill";
        Map<String, Long> pids = platform.pids();
        log("platform up after %d s", (System.nanoTime() - started) / 1_000_000_000);

        AtomicInteger seq = new AtomicInteger();
        List<CompletableFuture<Void>> inFlight = new CopyOnWriteArrayList<>();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(() -> inFlight.add(trigger(triggerUrl, token, callbackUrl, seed, seq.incrementAndGet())),
                0, TRIGGER_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        try {
            // The first callback shows the worker and callback-service have joined their consumer groups: from then
            // on runs are in every stage of their life when the kill comes.
            await().atMost(Duration.ofSeconds(90)).until(() -> !callbacks.isEmpty());
            Thread.sleep(beforeKill.toMillis()); // the random moment: a deliberate delay, nothing to wait for

            long stackPid = pids.get("local-stack");
            ProcessHandle stackProcess = ProcessHandle.of(stackPid).orElseThrow();
            stackProcess.destroyForcibly(); // SIGKILL: no shutdown hook, no final commit
            stackProcess.onExit().get(10, TimeUnit.SECONDS);
            phase = Phase.STACK_DOWN;
            log("killed the local stack (pid %d) with SIGKILL after %d triggers, %d answered 200", stackPid,
                    seq.get(), acked().size());
            Thread.sleep(DOWN_TIME.toMillis()); // stays down for a while, as a crashed machine would

            long restarting = System.nanoTime();
            LocalPlatform.Result restarted = platform.run(List.of("deploy/local/restart-stack"), 200);
            assertEquals(0, restarted.exitCode(), restarted.output());
            phase = Phase.AFTER_RESTART;
            log("local stack restarted in %d ms", (System.nanoTime() - restarting) / 1_000_000);

            // The services were not restarted: they must reconnect to Kafka and the store by themselves.
            await().atMost(Duration.ofSeconds(60)).until(() -> acked().stream()
                    .anyMatch(t -> t.phase() == Phase.AFTER_RESTART));
            log("first trigger answered 200 after the restart");
            Thread.sleep(FLOW_AFTER_RECOVERY.toMillis());
        } finally {
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        Map<Phase, List<Trigger>> byPhase = triggers.stream().collect(Collectors.groupingBy(Trigger::phase,
                () -> new TreeMap<>(), Collectors.toList()));
        byPhase.forEach((p, ts) -> log("%s: %d triggers, answers %s", p, ts.size(),
                ts.stream().collect(Collectors.groupingBy(Trigger::status, TreeMap::new, Collectors.counting()))));
        List<Trigger> acked = acked();
        assertTrue(acked.stream().filter(t -> t.phase() == Phase.BEFORE_CRASH).count() >= 10,
                "runs were flowing before the kill");

        // Wait until every acknowledged run has settled: terminal, its callback received and its outcome folded
        // back into the run. This also gives the runs the crash interrupted time to be taken over (lease expiry,
        // requeue of a lost request). Each round asks only for the runs not settled yet.
        Map<String, RunState> states = new ConcurrentHashMap<>();
        try {
            await().atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofSeconds(2)).until(() -> {
                Map<String, List<Callback>> received = calledBack();
                for (Trigger t : acked) {
                    RunState known = states.get(t.runId());
                    if (known == null || !known.settled(received.containsKey(t.runId()))) {
                        states.put(t.runId(), runState(gateway, token, t.runId()));
                    }
                }
                return acked.stream().allMatch(t -> states.get(t.runId()).settled(received.containsKey(t.runId())));
            });
        } catch (ConditionTimeoutException e) {
            log("not every acknowledged run settled within %d s; reporting each", SETTLE_TIMEOUT.toSeconds());
        }
        log("verifying %d acknowledged runs, %d callbacks received (%d distinct webhook-ids), %d s after start",
                acked.size(), callbacks.size(), callbacks.stream().map(Callback::webhookId).distinct().count(),
                (System.nanoTime() - started) / 1_000_000_000);

        Map<String, List<Callback>> calledBack = calledBack();
        // What the processes say comes first: one consumer that gave up explains hundreds of runs below.
        List<String> processProblems = new ArrayList<>();
        for (Map.Entry<String, Long> p : pids.entrySet()) {
            if (p.getKey().equals("local-stack")) {
                continue;
            }
            if (!ProcessHandle.of(p.getValue()).map(ProcessHandle::isAlive).orElse(false)) {
                processProblems.add(p.getKey() + " (pid " + p.getValue() + ") exited during the drill; see " + platform.logs());
                continue;
            }
            // A consumer or producer that gave up after the restart shows here (a messaging channel is DOWN).
            HttpResponse<String> ready = get(platform.managementUrl(p.getKey()) + "/q/health/ready", null);
            if (ready.statusCode() != 200) {
                processProblems.add(p.getKey() + " is not ready after the drill: " + ready.body());
            }
        }
        List<String> problems = new ArrayList<>(processProblems);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (Trigger t : acked) {
            RunState run = states.get(t.runId());
            List<Callback> received = calledBack.getOrDefault(t.runId(), List.of());
            if (run.httpStatus() != 200) {
                problems.add(t + ": GET answered " + run.httpStatus() + " (lost), callbacks " + received);
                continue;
            }
            outcomes.merge(run.status() + "/" + run.callbackStatus(), 1, Integer::sum);
            Set<String> webhookIds = received.stream().map(Callback::webhookId).collect(Collectors.toSet());
            Set<String> called = received.stream().map(Callback::status).collect(Collectors.toSet());
            if (!TERMINAL.contains(run.status())) {
                problems.add(t + ": not terminal: " + run.status() + ", callbacks " + received);
            } else if (webhookIds.size() != 1) {
                problems.add(t + ": " + webhookIds.size() + " distinct callbacks (by webhook-id): " + received);
            } else if (!called.equals(Set.of(run.status()))) {
                problems.add(t + ": status " + run.status() + " but called back as " + called);
            } else if (!"delivered".equals(run.callbackStatus())) {
                problems.add(t + ": called back, but the run says callback_status " + run.callbackStatus());
            }
        }
        log("acknowledged runs by status/callback_status: %s", outcomes);
        log("deliveries repeated with the same webhook-id (deduped by a receiver): %d",
                callbacks.size() - callbacks.stream().map(Callback::webhookId).distinct().count());
        log("drill finished after %d s", (System.nanoTime() - started) / 1_000_000_000);
        if (!problems.isEmpty()) {
            fail(problems.size() + " problems in a drill with " + acked.size() + " acknowledged runs (seed " + seed
                    + "; logs in target/store-crash-drill-logs):\n"
                    + String.join("\n", problems.subList(0, Math.min(problems.size(), 40))));
        }
    }

    private CompletableFuture<Void> trigger(String url, String token, String callbackUrl, long seed, int n) {
        Phase sentIn = phase;
        String requestId = "drill-" + seed + "-" + n;
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("prompt", "drill run " + n, "request_id", requestId,
                    "callback_url", callbackUrl, "request_metadata", Map.of("drill_seq", n, "phase", sentIn.name())));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error != null) {
                triggers.add(new Trigger(n, requestId, sentIn, 0, null, error.toString()));
                return null;
            }
            String runId = null;
            if (response.statusCode() == 200) {
                try {
                    runId = JSON.readTree(response.body()).at("/data/run/run_id").asText(null);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            triggers.add(new Trigger(n, requestId, sentIn, response.statusCode(), runId,
                    response.statusCode() == 200 ? null : response.body()));
            return null;
        });
    }

    /** A run as {@code GET /api/agent-webhooks/runs/{id}} shows it (404: status and callbackStatus are null). */
    record RunState(int httpStatus, String status, String callbackStatus) {
        boolean settled(boolean calledBack) {
            return httpStatus == 200 && TERMINAL.contains(status) && calledBack
                    && ("delivered".equals(callbackStatus) || "failed".equals(callbackStatus));
        }
    }

    private RunState runState(String gateway, String token, String runId) throws IOException, InterruptedException {
        HttpResponse<String> response = get(gateway + "/api/agent-webhooks/runs/" + runId, token);
        if (response.statusCode() != 200) {
            return new RunState(response.statusCode(), null, null);
        }
        JsonNode run = JSON.readTree(response.body()).at("/data/run");
        return new RunState(200, run.path("status").asText(), run.path("callback_status").asText());
    }

    private List<Trigger> acked() {
        return triggers.stream().filter(t -> t.status() == 200).toList();
    }

    private Map<String, List<Callback>> calledBack() {
        Map<String, List<Callback>> byRun = new LinkedHashMap<>();
        for (Callback c : callbacks) {
            byRun.computeIfAbsent(c.runId(), id -> new ArrayList<>()).add(c);
        }
        return byRun;
    }

    private void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        receiverThreads = Executors.newFixedThreadPool(8);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/hooks", exchange -> {
            JsonNode posted = JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            callbacks.add(new Callback(exchange.getRequestHeaders().getFirst("webhook-id"),
                    posted.at("/data/run/run_id").asText(), posted.at("/data/run/status").asText()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    private HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(String gateway, String apiKey) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway + "/auth/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("api_key", apiKey)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("access_token").asText();
    }

    private static void log(String format, Object... args) {
        System.out.printf("[drill] " + format + "%n", args);
    }
}
