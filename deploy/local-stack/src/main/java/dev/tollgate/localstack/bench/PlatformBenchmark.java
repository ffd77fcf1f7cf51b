package dev.tollgate.localstack.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.localstack.LocalStack;
import dev.tollgate.localstack.launcher.LocalPlatform;
import dev.tollgate.localstack.testing.BenchmarkReport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/**
 * The whole platform under load, in one run: starts it with {@code deploy/local/up} (its own ports and folders, so
 * a developer's stack is left alone), drives it from this separate process through the gateway as the demo tenant,
 * on loopback only, and writes the {@code platform} section of {@code docs/benchmarks.md}. Every phase is bounded
 * in requests and time, and a watchdog stops everything at the plan's time limit. Run with {@code bench/run platform}.
 *
 * <p>Phases, in order: start (times, memory); warm-up; trigger acknowledgement at fixed rates; trigger to callback
 * received; purchases; the gateway's overhead side by side; runs per second with one worker, then with two
 * (a second worker started with {@code deploy/local/add-worker}); memory after the load.
 */
public final class PlatformBenchmark {

    /** The gateway's per-address and per-token limits would throttle a load generator on one address and token. */
    static final Map<String, String> LIFTED_RATE_LIMITS = Map.of(
            "TOLLGATE_GATEWAY_RATE_LIMITS_PER_IP_REQUESTS_PER_SECOND", "1000000",
            "TOLLGATE_GATEWAY_RATE_LIMITS_PER_IP_BURST", "1000000",
            "TOLLGATE_GATEWAY_RATE_LIMITS_PER_TOKEN_REQUESTS_PER_SECOND", "1000000",
            "TOLLGATE_GATEWAY_RATE_LIMITS_PER_TOKEN_BURST", "1000000");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalPlatform platform;
    private final Plan plan;
    private final JsonNode stack;
    private final PlatformClient client;

    PlatformBenchmark(LocalPlatform platform, Plan plan, JsonNode stack) {
        this.platform = platform;
        this.plan = plan;
        this.stack = stack;
        this.client = new PlatformClient(stack.get("gateway_url").asText());
    }

    /** {@code --root DIR} (the repository), {@code --report FILE}, {@code --quick}, {@code --keep} (the folder). */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(".");
        Path report = null;
        Plan plan = Plan.FULL;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--report" -> report = Path.of(args[++i]);
                case "--quick" -> plan = Plan.QUICK;
                case "--keep" -> keep = true;
                default -> {
                    System.err.println("usage: PlatformBenchmark [--root DIR] [--report FILE] [--quick] [--keep]");
                    System.exit(2);
                }
            }
        }
        Path work = Files.createTempDirectory("tollgate-bench-");
        LocalPlatform platform = new LocalPlatform(root, work, LIFTED_RATE_LIMITS);
        Runtime.getRuntime().addShutdownHook(new Thread(platform::down));
        Duration limit = plan.timeLimit();
        Thread.ofPlatform().daemon().name("time-limit").start(() -> {
            try {
                Thread.sleep(limit);
                System.err.println("the benchmark ran out of its " + limit.toMinutes() + " minutes; stopping");
                System.exit(3); // the shutdown hook stops the platform
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        System.out.println("starting the platform in " + work + " (" + plan.name() + " plan)...");
        long t0 = System.nanoTime();
        LocalPlatform.Result up = platform.up();
        double upSeconds = (System.nanoTime() - t0) / 1e9;
        if (up.exitCode() != 0) {
            System.err.println(up.output());
            System.err.println("deploy/local/up failed; logs in " + platform.logs());
            System.exit(1);
        }
        JsonNode stack = JSON.readTree(Files.readString(platform.runDir.resolve("stack.json")));
        PlatformFigures figures = new PlatformBenchmark(platform, plan, stack).run(upSeconds);
        String command = plan == Plan.QUICK ? "bench/run platform --quick" : "bench/run platform";
        String section = PlatformReport.section(figures, plan, command, BenchmarkReport.machine());
        if (report != null) {
            System.setProperty("tollgate.benchmarks.file", report.toString());
        }
        BenchmarkReport.write("platform", section);
        System.out.println(section);
        LocalPlatform.Result down = platform.down();
        if (down.exitCode() != 0) {
            System.err.println(down.output());
            System.exit(1);
        }
        if (keep) {
            System.out.println("kept the platform's data and logs in " + work);
        } else {
            LocalStack.deleteRecursively(work); // kept when anything failed, for its logs
        }
        System.exit(0);
    }

    PlatformFigures run(double upSeconds) throws Exception {
        Map<String, Optional<ProcessFigures.Memory>> idle = memories();
        String user = client.token(stack.get("api_key").asText());
        String admin = client.token(stack.get("admin_key").asText());
        // Enough credits that purchases never run short, whatever the rate (the demo grant is 10,000).
        client.grant(admin, stack.get("user_id").asText(), 10_000_000, "bench-" + UUID.randomUUID());
        String workflow = stack.get("workflow_id").asText();

        try (RunCompletions completions = new RunCompletions(platform.kafkaBootstrap());
                CallbackArrivals callbacks = new CallbackArrivals()) {
            step("warm-up");
            // The first runs after a start also wait for the worker and callback-service to join their groups.
            callbackLatency(user, workflow, callbacks, 5, Duration.ofSeconds(2), Duration.ofSeconds(120));
            saturation(1, plan.warmupRuns(), user, workflow, completions);
            LoadGenerator.closedLoop(plan.purchaseClients(), plan.warmupPurchases(), () -> purchase(user));
            SideBySide.measure(client.http(), directBalance(), gatewayBalance(), user, plan.overheadClients(),
                    plan.overheadRequests());

            List<PlatformFigures.TriggerRate> rates = new ArrayList<>();
            for (int rate : plan.triggerRates()) {
                step("trigger acknowledgement at " + rate + "/s");
                Set<String> runs = ConcurrentHashMap.newKeySet();
                LatencySample acks = LoadGenerator.fixedRate(rate, plan.perRate(),
                        () -> client.trigger(user, workflow, Map.of("prompt", "bench")).map(runs::add).isPresent());
                rates.add(new PlatformFigures.TriggerRate(rate, acks));
                completions.await(runs, Duration.ofMinutes(3)); // a clean start for the next phase
            }

            step("trigger to callback received at " + plan.callbackRate() + "/s");
            PlatformFigures.CallbackLatency callbackLatency = callbackLatency(user, workflow, callbacks,
                    plan.callbackRate(), plan.callbackPhase(), Duration.ofSeconds(120));

            step("purchases, " + plan.purchaseClients() + " clients");
            PlatformFigures.Purchases purchases = purchases(user);

            step("gateway overhead");
            List<SideBySide.Sample> single = new ArrayList<>();
            List<SideBySide.Sample> many = new ArrayList<>();
            for (int round = 0; round < plan.overheadRounds(); round++) {
                single.add(SideBySide.measure(client.http(), directBalance(), gatewayBalance(), user, 1,
                        plan.overheadRequests()));
                many.add(SideBySide.measure(client.http(), directBalance(), gatewayBalance(), user,
                        plan.overheadClients(), plan.overheadRequests()));
            }

            step("runs per second, one worker");
            List<PlatformFigures.Saturation> saturation = new ArrayList<>();
            saturation.add(saturation(1, plan.batchRuns(), user, workflow, completions));
            step("adding a second worker");
            LocalPlatform.Result added = platform.addWorker();
            if (added.exitCode() != 0) {
                throw new IllegalStateException("deploy/local/add-worker failed:\n" + added.output());
            }
            awaitWorkers(2);
            step("runs per second, two workers");
            saturation.add(saturation(2, plan.batchRuns(), user, workflow, completions));

            Map<String, Optional<ProcessFigures.Memory>> loaded = memories();
            List<PlatformFigures.Process> processes = new ArrayList<>();
            for (String name : loaded.keySet()) {
                processes.add(new PlatformFigures.Process(name,
                        ProcessFigures.startSeconds(platform.logs().resolve(name + ".log")),
                        idle.getOrDefault(name, Optional.empty()), loaded.get(name)));
            }
            return new PlatformFigures(upSeconds, processes, rates, callbackLatency, purchases, single, many,
                    saturation);
        }
    }

    private PlatformFigures.CallbackLatency callbackLatency(String user, String workflow, CallbackArrivals callbacks,
            int rate, Duration phase, Duration patience) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
        long repeatsBefore = callbacks.repeats();
        LoadGenerator.fixedRate(rate, phase, () -> {
            long sent = System.nanoTime();
            Optional<String> run = client.trigger(user, workflow, Map.of("prompt", "bench",
                    "request_id", UUID.randomUUID().toString(), "callback_url", callbacks.url()));
            long accepted = System.nanoTime();
            run.ifPresent(id -> {
                sentAt.put(id, sent);
                acceptedAt.put(id, accepted);
            });
            return run.isPresent();
        });
        Map<String, Long> arrived = callbacks.await(sentAt.keySet(), patience);
        LatencySample fromSent = since(sentAt, arrived);
        LatencySample fromAccepted = since(acceptedAt, arrived);
        return new PlatformFigures.CallbackLatency(rate, sentAt.size(), fromSent.sortedNanos().size(),
                callbacks.repeats() - repeatsBefore, fromSent, fromAccepted);
    }

    /** For each run that has both, the time from {@code start} to {@code end}. */
    private static LatencySample since(Map<String, Long> start, Map<String, Long> end) {
        List<Long> latencies = new ArrayList<>();
        start.forEach((run, t0) -> {
            Long t1 = end.get(run);
            if (t1 != null) {
                latencies.add(t1 - t0);
            }
        });
        latencies.sort(null);
        return new LatencySample(latencies, start.size(), start.size() - latencies.size(), 0);
    }

    private PlatformFigures.Purchases purchases(String user) throws Exception {
        long before = client.balance(user);
        LatencySample sample = LoadGenerator.closedLoop(plan.purchaseClients(), plan.purchasePhase(),
                () -> purchase(user));
        long after = client.balance(user);
        long price = stack.get("product_price_credits").asLong();
        return new PlatformFigures.Purchases(plan.purchaseClients(), sample, before - after,
                price * (sample.requests() - sample.failures()));
    }

    private boolean purchase(String user) {
        return client.purchase(user, stack.get("product_id").asText(), stack.get("product_parameters"));
    }

    /** {@code count} triggers from {@code batchClients} clients; first trigger to last completion. */
    private PlatformFigures.Saturation saturation(int workers, int count, String user, String workflow,
            RunCompletions completions) throws Exception {
        Set<String> runs = ConcurrentHashMap.newKeySet();
        long t0 = System.nanoTime();
        LoadGenerator.burst(plan.batchClients(), count,
                () -> client.trigger(user, workflow, Map.of("prompt", "bench")).map(runs::add).isPresent());
        Map<String, RunCompletions.Finished> finished = completions.await(runs, Duration.ofMinutes(5));
        long last = finished.values().stream().mapToLong(RunCompletions.Finished::atNanos).max().orElse(t0);
        int completed = (int) finished.values().stream().filter(f -> f.type().equals("run.completed")).count();
        double seconds = Math.max(1e-9, (last - t0) / 1e9);
        return new PlatformFigures.Saturation(workers, count, completed, completed / seconds);
    }

    /** Until the workers' consumer group has {@code n} members and has settled its partitions among them. */
    private void awaitWorkers(int n) throws Exception {
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", platform.kafkaBootstrap()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerGroupDescription group = kafka.describeConsumerGroups(List.of("workflow-workers")).all().get()
                        .get("workflow-workers");
                if (group.members().size() == n && group.groupState() == GroupState.STABLE) {
                    return;
                }
                Thread.sleep(200); // polling the broker's view of the group
            }
            throw new IllegalStateException("the workers' consumer group did not reach " + n + " members");
        }
    }

    private Map<String, Optional<ProcessFigures.Memory>> memories() throws Exception {
        Map<String, Optional<ProcessFigures.Memory>> memory = new LinkedHashMap<>();
        platform.pids().forEach((name, pid) -> memory.put(name, ProcessFigures.memory(pid)));
        return memory;
    }

    private URI directBalance() {
        return URI.create(platform.url("credits") + "/credits/balance");
    }

    private URI gatewayBalance() {
        return URI.create(platform.url("gateway") + "/credits/balance");
    }

    private static void step(String what) {
        System.out.println("[bench] " + what);
    }
}
