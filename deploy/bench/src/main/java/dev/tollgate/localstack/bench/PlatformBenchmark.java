package dev.tollgate.localstack.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.localstack.launcher.LocalPlatform;
import dev.tollgate.localstack.testing.BenchmarkReport;
import dev.tollgate.localstack.testing.DocsExamined;
import dev.tollgate.localstack.testing.WorkerGroup;

/**
 * The whole platform under load, in one run, on an empty store and again with a history behind it: starts it with
 * {@code deploy/local/up} (its own ports and folders, so a developer's stack is left alone), drives it from this
 * separate process through the gateway as the demo tenant, on loopback only, and writes the {@code platform} section
 * of {@code docs/benchmarks.md} with both passes side by side. Every phase is bounded in requests and time, and a
 * watchdog stops everything at the plan's time limit. Run with {@code bench/run platform}.
 *
 * <p>Each pass, in order: start (times, memory); warm-up; trigger acknowledgement at fixed rates; trigger to callback
 * received; purchases; (first pass only) the gateway's overhead side by side; runs per second with one worker, with
 * every process's CPU per run; the whole platform idle (CPU over a window with no traffic); runs per second with two
 * workers (a second worker started with {@code deploy/local/add-worker} and warmed up as at the start); memory after
 * the load. Every trigger
 * carries a unique {@code request_id}, {@code request_metadata} and a {@code callback_url} to a receiver on
 * 127.0.0.1, and each phase waits for its runs' callbacks, so none spills into the next.
 *
 * <p>Between the passes, {@link HistorySeeder} writes the history (by default the 1,000,000 terminal runs
 * with their deliveries and attempts, 100,000 orders and 100,000 ledger transactions, all of other users) straight
 * into the running platform's store, and the platform is stopped and started again on that data folder, which times
 * a start with the history (index loading included) and gives the second pass the same fresh JVMs as the first.
 * Nothing is cleaned between phases or passes: the second pass also has the first pass's runs behind it.
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
    private JsonNode stack;
    private PlatformClient client;

    PlatformBenchmark(LocalPlatform platform, Plan plan, JsonNode stack) {
        this.platform = platform;
        this.plan = plan;
        this.stack = stack;
        this.client = new PlatformClient(stack.get("gateway_url").asText());
    }

    /**
     * {@code --root DIR} (the repository), {@code --report FILE}, {@code --quick}, {@code --keep} (the folder),
     * {@code --history-scale F} (of the history; the quick plan's default is 0.002).
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(".");
        Path report = null;
        Plan plan = Plan.FULL;
        Double historyScale = null;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--report" -> report = Path.of(args[++i]);
                case "--quick" -> plan = Plan.QUICK;
                case "--keep" -> keep = true;
                case "--history-scale" -> historyScale = Double.parseDouble(args[++i]);
                default -> {
                    System.err.println("usage: PlatformBenchmark [--root DIR] [--report FILE] [--quick] [--keep] "
                            + "[--history-scale F]");
                    System.exit(2);
                }
            }
        }
        if (historyScale != null) {
            plan = plan.withHistoryScale(historyScale);
        }
        Path work = Files.createTempDirectory("tollgate-bench-");
        LocalPlatform platform = new LocalPlatform(root, work, LIFTED_RATE_LIMITS);
        Runtime.getRuntime().addShutdownHook(new Thread(platform::down));
        stopAfter(plan.timeLimit(), "the benchmark");

        System.out.println("starting the platform in " + work + " (" + plan.name() + " plan)...");
        double upSeconds = up(platform);
        PlatformFigures figures = new PlatformBenchmark(platform, plan, readStack(platform)).run(upSeconds);
        String command = (plan.name().equals("quick") ? "bench/run platform --quick" : "bench/run platform")
                + (historyScale != null ? " --history-scale " + historyScale : "");
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
            WorkFolders.deleteRecursively(work); // kept when anything failed, for its logs
        }
        System.exit(0);
    }

    /** Exits the harness (its shutdown hook stops the platform) once {@code limit} has passed: bounded in time. */
    static void stopAfter(Duration limit, String what) {
        Thread.ofPlatform().daemon().name("time-limit").start(() -> {
            try {
                Thread.sleep(limit);
                System.err.println(what + " ran out of its " + limit.toMinutes() + " minutes; stopping");
                System.exit(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** {@code deploy/local/up --detach}; its duration in seconds. Exits the harness when it fails. */
    static double up(LocalPlatform platform) {
        long t0 = System.nanoTime();
        LocalPlatform.Result up = platform.up();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (up.exitCode() != 0) {
            System.err.println(up.output());
            System.err.println("deploy/local/up failed; logs in " + platform.logs());
            System.exit(1);
        }
        return seconds;
    }

    /** {@code deploy/local/down}; throws with its output if it failed. */
    static void down(LocalPlatform platform) {
        LocalPlatform.Result down = platform.down();
        if (down.exitCode() != 0) {
            throw new IllegalStateException("deploy/local/down failed:\n" + down.output());
        }
    }

    /** Stops the platform and starts it again on the same data folder; the seconds {@code deploy/local/up} took. */
    static double restart(LocalPlatform platform) {
        down(platform);
        return up(platform);
    }

    static JsonNode readStack(LocalPlatform platform) throws java.io.IOException {
        return JSON.readTree(Files.readString(platform.runDir.resolve("stack.json")));
    }

    PlatformFigures run(double upSeconds) throws Exception {
        try (CallbackArrivals callbacks = new CallbackArrivals()) {
            String admin = client.token(stack.get("admin_key").asText());
            // Enough credits that purchases never run short, whatever the rate (the demo grant is 10,000).
            client.grant(admin, stack.get("user_id").asText(), 10_000_000, "bench-" + UUID.randomUUID());
            List<SideBySide.Sample> single = new ArrayList<>();
            List<SideBySide.Sample> many = new ArrayList<>();
            step("pass 1 of 2: the empty store");
            PlatformFigures.Pass empty = pass(upSeconds, callbacks, single, many);

            PlatformFigures.Seeding seeding = seedHistory();

            step("restarting the platform on the seeded data folder");
            double upAgain = restart(platform);
            System.out.printf(Locale.ROOT, "[bench] deploy/local/up with the history took %.1f s%n", upAgain);
            stack = readStack(platform);
            client = new PlatformClient(stack.get("gateway_url").asText());
            step("pass 2 of 2: the same platform with the history");
            PlatformFigures.Pass history = pass(upAgain, callbacks, null, null);
            return new PlatformFigures(empty, seeding, history, single, many);
        }
    }

    /** Writes the plan's history into the running platform's store, through the MongoDB driver. */
    private PlatformFigures.Seeding seedHistory() throws Exception {
        return seedHistory(platform, plan.history());
    }

    /**
     * Writes {@code counts} of history (other users' terminal runs with their deliveries, orders, ledger
     * transactions) into {@code platform}'s running store through the MongoDB driver, then has the store compact
     * its file, as after any bulk load. The caller restarts the platform on the folder, so that what is measured
     * next starts as a platform with that history would (indexes loaded from the file).
     */
    static PlatformFigures.Seeding seedHistory(LocalPlatform platform, HistorySeeder.Counts counts) throws Exception {
        step(String.format(Locale.ROOT, "seeding the history: %,d runs with their deliveries, %,d orders, %,d ledger "
                + "transactions", counts.runs(), counts.orders(), counts.transactions()));
        Path store = platform.dataDir.resolve("mongo");
        double before = ProcessFigures.folderMiB(store);
        HistorySeeder.Seeded seeded = HistorySeeder.seed("mongodb://127.0.0.1:" + platform.ports.get("mongo"),
                HistorySeeder.Options.of(counts), line -> System.out.println("[bench] " + line.strip()));
        double after = ProcessFigures.folderMiB(store);
        step("seeded " + seeded.summary());
        HistorySeeder.Compacted compacted = HistorySeeder.compact("mongodb://127.0.0.1:" + platform.ports.get("mongo"));
        double compactedMiB = ProcessFigures.folderMiB(store);
        step(compacted.summary());
        return new PlatformFigures.Seeding(seeded, before, after, compacted, compactedMiB);
    }

    /**
     * The phases once, on the platform as it is now (one worker, just started). {@code single} and {@code many}
     * collect the gateway-overhead samples when given (the first pass only: a balance read has nothing to do with
     * the history).
     */
    private PlatformFigures.Pass pass(double upSeconds, CallbackArrivals callbacks, List<SideBySide.Sample> single,
            List<SideBySide.Sample> many) throws Exception {
        Map<String, Optional<ProcessFigures.Memory>> idleMemory = memories();
        Map<String, Optional<Double>> startTimes = startTimes(); // the logs start over with the next up
        String user = client.token(stack.get("api_key").asText());
        String workflow = stack.get("workflow_id").asText();

        try (RunCompletions completions = new RunCompletions(platform.kafkaBootstrap())) {
            step("warm-up");
            // With 600 runs of warm-up alone, the second pass measured JVMs still compiling.
            warmUpRuns(client, user, workflow, callbacks, plan.warmupRate(), plan.warmupLoad(), Duration.ofSeconds(180));
            saturation(1, plan.warmupRuns(), user, workflow, completions, callbacks);
            SideBySide.measure(client.http(), directBalance(), gatewayBalance(), user, plan.overheadClients(),
                    plan.overheadRequests());

            List<PlatformFigures.TriggerRate> rates = new ArrayList<>();
            for (int rate : plan.triggerRates()) {
                step("trigger acknowledgement at " + rate + "/s");
                Set<String> runs = ConcurrentHashMap.newKeySet();
                LatencySample acks = LoadGenerator.fixedRate(rate, plan.perRate(),
                        () -> client.trigger(user, workflow, triggerBody(callbacks)).map(runs::add).isPresent());
                rates.add(new PlatformFigures.TriggerRate(rate, acks));
                // A clean start for the next phase: its runs ended and their callbacks arrived.
                completions.await(runs, Duration.ofMinutes(3));
                callbacks.await(runs, Duration.ofMinutes(3));
            }

            step("trigger to callback received at " + plan.callbackRate() + "/s");
            PlatformFigures.CallbackLatency callbackLatency = callbackLatency(user, workflow, callbacks,
                    plan.callbackRate(), plan.callbackPhase(), Duration.ofSeconds(120));

            step("status long-poll, " + plan.waitRuns() + " runs followed by " + plan.waitClients() + " clients");
            PlatformFigures.StatusWaits waits = statusWaits(client, user, workflow, callbacks, plan.waitRuns(),
                    plan.waitClients());

            step("fairness: tenant B at " + plan.tenantBRate() + "/s alone, then while tenant A floods "
                    + plan.floodRuns() + " runs");
            PlatformFigures.Fairness fairness = TenantFairness.measure(client, user,
                    client.token(stack.get("second_api_key").asText()), workflow, callbacks, completions,
                    plan.floodRuns(), plan.floodClients(), plan.tenantBRate(), plan.tenantBAlone());

            step("purchases, " + plan.purchaseClients() + " clients");
            // Warmed up right before they are measured: minutes of other load in between let the JVMs drop their
            // compiled purchase path as cold (the run-path benchmark saw the same).
            LoadGenerator.closedLoop(plan.purchaseClients(), plan.warmupPurchases(), () -> purchase(user));
            PlatformFigures.Purchases purchases = purchases(user);

            if (single != null) {
                step("gateway overhead");
                for (int round = 0; round < plan.overheadRounds(); round++) {
                    single.add(SideBySide.measure(client.http(), directBalance(), gatewayBalance(), user, 1,
                            plan.overheadRequests()));
                    many.add(SideBySide.measure(client.http(), directBalance(), gatewayBalance(), user,
                            plan.overheadClients(), plan.overheadRequests()));
                }
            }

            step("runs per second, one worker");
            List<PlatformFigures.Saturation> saturation = new ArrayList<>();
            Map<String, Double> cpuBefore = cpu();
            PlatformFigures.Saturation oneWorker = saturation(1, plan.batchRuns(), user, workflow, completions,
                    callbacks);
            Map<String, Double> cpuPerRun = perRun(cpuBefore, cpu(), oneWorker.completed());
            saturation.add(new PlatformFigures.Saturation(oneWorker.workers(), oneWorker.triggered(),
                    oneWorker.completed(), oneWorker.callbacks(), oneWorker.runsPerSecond(),
                    cpuPerRun.values().stream().mapToDouble(Double::doubleValue).sum()));

            step("the platform idle, " + plan.idleWindow().toSeconds() + " s");
            Thread.sleep(plan.idleSettle()); // let the last callbacks' outcomes and relays finish: not idle yet
            Map<String, Long> examinedBefore = docsExamined();
            Map<String, Double> idleBefore = cpu();
            Map<String, Double> jitBefore = ProcessFigures.jitCpuMillis(platform.pids());
            long t0 = System.nanoTime();
            Thread.sleep(plan.idleWindow()); // measuring a window with no traffic, not waiting for a condition
            double idleSeconds = (System.nanoTime() - t0) / 1e9;
            double jitPercent = ProcessFigures.jitCpuMillis(platform.pids()).entrySet().stream()
                    // a compiler thread that exits takes its time with it: a lower bound, never below 0 per process
                    .mapToDouble(j -> Math.max(0, j.getValue() - jitBefore.getOrDefault(j.getKey(), 0.0))).sum()
                    / (idleSeconds * 1000) * 100;
            Map<String, Double> idleCpu = new LinkedHashMap<>();
            cpu().forEach((name, ms) -> idleCpu.put(name,
                    (ms - idleBefore.getOrDefault(name, 0.0)) / (idleSeconds * 1000) * 100));
            Map<String, Double> examinedPerSecond = new LinkedHashMap<>();
            docsExamined().forEach((db, n) -> {
                if (examinedBefore.containsKey(db)) {
                    examinedPerSecond.put(db, (n - examinedBefore.get(db)) / idleSeconds);
                }
            });
            PlatformFigures.IdleCpu idle = new PlatformFigures.IdleCpu(idleSeconds,
                    idleCpu.values().stream().mapToDouble(Double::doubleValue).sum(), jitPercent, examinedPerSecond);

            step("adding a second worker");
            LocalPlatform.Result added = platform.addWorker();
            if (added.exitCode() != 0) {
                throw new IllegalStateException("deploy/local/add-worker failed:\n" + added.output());
            }
            awaitWorkers(2);
            // Warmed up as the pass's start warms the others: the services run C2 alone, so a new JVM interprets its
            // code until C2 has compiled it, and a burst right after the start measured that (71-88 runs/s at 20-26 ms
            // per run against 184-188 at 9 with one warm worker: docs/benchmarks.md, stop 36).
            step("warm-up with two workers");
            warmUpRuns(client, user, workflow, callbacks, plan.warmupRate(), plan.warmupLoad(), Duration.ofSeconds(180));
            saturation(2, plan.warmupRuns(), user, workflow, completions, callbacks);
            step("runs per second, two workers");
            Map<String, Double> cpuBeforeTwo = cpu();
            PlatformFigures.Saturation twoWorkers = saturation(2, plan.batchRuns(), user, workflow, completions,
                    callbacks);
            double cpuTwo = perRun(cpuBeforeTwo, cpu(), twoWorkers.completed()).values().stream()
                    .mapToDouble(Double::doubleValue).sum();
            saturation.add(new PlatformFigures.Saturation(twoWorkers.workers(), twoWorkers.triggered(),
                    twoWorkers.completed(), twoWorkers.callbacks(), twoWorkers.runsPerSecond(), cpuTwo));

            Map<String, Optional<ProcessFigures.Memory>> loaded = memories();
            Map<String, Optional<Double>> withWorker2 = startTimes();
            List<PlatformFigures.Process> processes = new ArrayList<>();
            for (String name : loaded.keySet()) {
                processes.add(new PlatformFigures.Process(name,
                        startTimes.getOrDefault(name, withWorker2.getOrDefault(name, Optional.empty())),
                        idleMemory.getOrDefault(name, Optional.empty()), loaded.get(name),
                        Optional.ofNullable(cpuPerRun.get(name)), Optional.ofNullable(idleCpu.get(name))));
            }
            return new PlatformFigures.Pass(upSeconds, processes, rates, callbackLatency, waits, fairness, purchases,
                    saturation, idle);
        }
    }

    /** A trigger as the platform's main client sends it: its own request id, metadata, and a callback. */
    static Map<String, Object> triggerBody(CallbackArrivals callbacks) {
        return Map.of("prompt", "bench", "request_id", UUID.randomUUID().toString(),
                "request_metadata", Map.of("client", "platform-benchmark", "ticket", "T-" + UUID.randomUUID()),
                "callback_url", callbacks.url());
    }

    /**
     * The store's documents-examined counter ({@code tollgateStats}) of each service's database; empty for a store
     * without it.
     */
    private Map<String, Long> docsExamined() {
        Map<String, Long> examined = new LinkedHashMap<>();
        try (com.mongodb.client.MongoClient mongo = com.mongodb.client.MongoClients.create(
                "mongodb://127.0.0.1:" + platform.ports.get("mongo"))) {
            for (String db : List.of(HistorySeeder.WORKFLOW_DB, HistorySeeder.CALLBACK_DB, HistorySeeder.CATALOG_DB,
                    HistorySeeder.CREDITS_DB)) {
                examined.put(db, DocsExamined.total(mongo.getDatabase(db)));
            }
        } catch (RuntimeException e) {
            System.out.println("[bench] the store has no documents-examined counter: " + e.getMessage());
            examined.clear();
        }
        return examined;
    }

    /** Each process's CPU milliseconds between two readings, per run. */
    static Map<String, Double> perRun(Map<String, Double> before, Map<String, Double> after, int runs) {
        Map<String, Double> perRun = new LinkedHashMap<>();
        after.forEach((name, ms) -> perRun.put(name, (ms - before.getOrDefault(name, 0.0)) / Math.max(1, runs)));
        return perRun;
    }

    /** CPU milliseconds used so far by each of the platform's processes. */
    private Map<String, Double> cpu() throws java.io.IOException {
        return ProcessFigures.cpuMillis(platform.pids());
    }

    private Map<String, Optional<Double>> startTimes() throws java.io.IOException {
        Map<String, Optional<Double>> starts = new LinkedHashMap<>();
        for (String name : platform.pids().keySet()) {
            starts.put(name, ProcessFigures.startSeconds(platform.logs().resolve(name + ".log")));
        }
        return starts;
    }

    private PlatformFigures.CallbackLatency callbackLatency(String user, String workflow, CallbackArrivals callbacks,
            int rate, Duration phase, Duration patience) throws Exception {
        return callbackLatency(client, user, workflow, callbacks, rate, phase, patience);
    }

    /**
     * Warms a platform just started (or a peer) up with runs: a few until the first are called back (the worker and
     * callback-service joining their consumer groups), then triggers ramped up to {@code rate} for {@code duration}
     * ({@link LoadGenerator#ramped}: the JIT compilers settle only after minutes of steady load, docs/benchmarks.md,
     * "The JIT compilers under load"), waiting up to {@code patience} for their callbacks.
     */
    static void warmUpRuns(PlatformClient client, String user, String workflow, CallbackArrivals callbacks, int rate,
            Duration duration, Duration patience) throws Exception {
        callbackLatency(client, user, workflow, callbacks, 5, Duration.ofSeconds(2), Duration.ofSeconds(120));
        Set<String> runs = ConcurrentHashMap.newKeySet();
        LoadGenerator.ramped(rate, duration,
                () -> client.trigger(user, workflow, triggerBody(callbacks)).map(runs::add).isPresent());
        callbacks.await(runs, patience);
    }

    /**
     * Triggers at {@code rate} for {@code phase} through {@code client} (the gateway, or a peer serving the same
     * API), then waits up to {@code patience} for their callbacks.
     */
    static PlatformFigures.CallbackLatency callbackLatency(PlatformClient client, String user, String workflow,
            CallbackArrivals callbacks, int rate, Duration phase, Duration patience) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
        long repeatsBefore = callbacks.repeats();
        LatencySample acks = LoadGenerator.fixedRate(rate, phase, () -> {
            long sent = System.nanoTime();
            Optional<String> run = client.trigger(user, workflow, triggerBody(callbacks));
            long accepted = System.nanoTime();
            run.ifPresent(id -> {
                sentAt.put(id, sent);
                acceptedAt.put(id, accepted);
            });
            return run.isPresent();
        });
        Map<String, Long> arrived = callbacks.await(sentAt.keySet(), patience);
        LatencySample fromSent = LatencySample.between(sentAt, arrived);
        LatencySample fromAccepted = LatencySample.between(acceptedAt, arrived);
        return new PlatformFigures.CallbackLatency(rate, sentAt.size(), fromSent.sortedNanos().size(),
                callbacks.repeats() - repeatsBefore, fromSent, fromAccepted, acks, Set.copyOf(sentAt.keySet()));
    }

    /**
     * {@code runs} runs, each triggered (as every trigger here: request id, metadata, callback) and then followed with
     * the status long-poll until it ends, by {@code clients} clients back to back: how long after a run's end
     * ({@code completed_at}) the waiting read answered, and how many reads a run took. Waits for their callbacks.
     */
    static PlatformFigures.StatusWaits statusWaits(PlatformClient client, String user, String workflow,
            CallbackArrivals callbacks, int runs, int clients) throws Exception {
        List<Long> afterEnd = Collections.synchronizedList(new ArrayList<>());
        AtomicLong reads = new AtomicLong();
        Set<String> triggered = ConcurrentHashMap.newKeySet();
        long start = System.nanoTime();
        LoadGenerator.burst(clients, runs, () -> {
            Optional<String> run = client.trigger(user, workflow, triggerBody(callbacks));
            if (run.isEmpty()) {
                return false;
            }
            triggered.add(run.get());
            String lastSeen = "queued";
            for (int read = 0; read < 10; read++) {
                PlatformClient.StatusAnswer answer = client.awaitStatus(user, run.get(), 30, lastSeen);
                lastSeen = answer.status().isEmpty() ? lastSeen : answer.status();
                reads.incrementAndGet();
                if (answer.completedAt().isPresent()) {
                    afterEnd.add(Duration.ofMillis(answer.arrivedEpochMillis()
                            - answer.completedAt().get().toEpochMilli()).toNanos());
                    return true;
                }
            }
            return false;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        callbacks.await(triggered, Duration.ofMinutes(2));
        List<Long> sorted = new ArrayList<>(afterEnd);
        sorted.sort(null);
        return new PlatformFigures.StatusWaits(triggered.size(), sorted.size(),
                triggered.isEmpty() ? 0 : (double) reads.get() / triggered.size(),
                new LatencySample(sorted, triggered.size(), triggered.size() - sorted.size(), seconds));
    }

    private PlatformFigures.Purchases purchases(String user) throws Exception {
        return purchases(client, stack, user, plan.purchaseClients(), plan.purchasePhase());
    }

    /** The demo product bought by {@code clients} back to back for {@code phase}; what the balance moved. */
    static PlatformFigures.Purchases purchases(PlatformClient client, JsonNode stack, String user, int clients,
            Duration phase) throws Exception {
        long before = client.balance(user);
        LatencySample sample = LoadGenerator.closedLoop(clients, phase, () -> purchase(client, stack, user));
        long after = client.balance(user);
        long price = stack.get("product_price_credits").asLong();
        return new PlatformFigures.Purchases(clients, sample, before - after,
                price * (sample.requests() - sample.failures()));
    }

    private boolean purchase(String user) {
        return purchase(client, stack, user);
    }

    static boolean purchase(PlatformClient client, JsonNode stack, String user) {
        return client.purchase(user, stack.get("product_id").asText(), stack.get("product_parameters"));
    }

    /**
     * {@code count} triggers from {@code batchClients} clients; runs per second from the first trigger to the last
     * completion; then waits for their callbacks too (the CPU a run costs includes its callback).
     */
    private PlatformFigures.Saturation saturation(int workers, int count, String user, String workflow,
            RunCompletions completions, CallbackArrivals callbacks) throws Exception {
        Set<String> runs = ConcurrentHashMap.newKeySet();
        long t0 = System.nanoTime();
        LoadGenerator.burst(plan.batchClients(), count,
                () -> client.trigger(user, workflow, triggerBody(callbacks)).map(runs::add).isPresent());
        Map<String, RunCompletions.Finished> finished = completions.await(runs, Duration.ofMinutes(5));
        long last = finished.values().stream().mapToLong(RunCompletions.Finished::atNanos).max().orElse(t0);
        int completed = (int) finished.values().stream().filter(f -> f.type().equals("run.completed")).count();
        int called = callbacks.await(runs, Duration.ofMinutes(3)).size();
        double seconds = Math.max(1e-9, (last - t0) / 1e9);
        return new PlatformFigures.Saturation(workers, count, completed, called, completed / seconds, 0);
    }

    /** Until the workers' consumer group has {@code n} members and has settled its partitions among them. */
    private void awaitWorkers(int n) throws Exception {
        awaitWorkers(platform.kafkaBootstrap(), n);
    }

    static void awaitWorkers(String kafkaBootstrap, int n) throws Exception {
        WorkerGroup.awaitMembers(kafkaBootstrap, n);
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
