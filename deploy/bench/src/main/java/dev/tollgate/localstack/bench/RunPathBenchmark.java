package dev.tollgate.localstack.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.localstack.launcher.LocalPlatform;
import dev.tollgate.localstack.testing.BenchmarkReport;

/**
 * {@code bench/run runpath}: issue 15's figures for the main job (trigger, run, signed callback), Tollgate beside a
 * peer in the same run. Starts the platform as {@code deploy/local/up} does (gateway rate limits lifted, its own
 * free loopback ports and folders), seeds a history of other users into its store and starts it again on that
 * folder, warms it up and runs the phases through the gateway as the demo user; stops it;
 * then starts the BullMQ + Redis peer ({@code bench/peers/bullmq}: an API process and a worker process serving the
 * same trigger request and callback shapes) and runs the same phases with the same load generator against it; stops
 * it; writes the {@code runpath} section of {@code docs/benchmarks.md}: the figures, Tollgate/peer ratios, and the
 * issue's targets with pass or fail.
 *
 * <p>The phases, in order, each waiting for its runs' callbacks before the next: CPU per run, every process, at the
 * CPU rate (100/s); trigger acknowledgement and trigger to callback at the latency rate (200/s for 60 s); runs per
 * second at saturation (an open loop above capacity), then again after adding a worker ({@code deploy/local/add-worker},
 * or the peer's {@code add-worker}) and warming up as at the start; purchases from 16 clients (Tollgate only); resident memory of every process.
 * Every trigger carries a unique {@code request_id}, metadata and a {@code callback_url} to a receiver in this
 * process on 127.0.0.1. Loopback only; every phase is bounded in requests and time, and a watchdog ends the harness
 * (its shutdown hooks stop both systems) at the plan's time limit.
 */
public final class RunPathBenchmark {

    private final RunPathPlan plan;
    private final CallbackArrivals callbacks;

    private RunPathBenchmark(RunPathPlan plan, CallbackArrivals callbacks) {
        this.plan = plan;
        this.callbacks = callbacks;
    }

    /** What the phases drive: Tollgate through its gateway, or the peer's API; the same requests either way. */
    private record Target(String name, PlatformClient client, String token, String workflow, Pids pids,
            Step addWorker) {
    }

    @FunctionalInterface
    private interface Pids {
        Map<String, Long> get() throws Exception;
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /**
     * {@code --root DIR}, {@code --report FILE}, {@code --quick} (every phase a few seconds, a few runs per second),
     * {@code --seconds N} (every measured phase N seconds), {@code --rates C,L,S} (triggers per second of the CPU,
     * latency and saturation phases; 100,200,600), {@code --history-scale F} (the history seeded into Tollgate's
     * store first, times the 1,000,000 runs; 1 in the full plan, 0.002 in the quick one, 0 for none),
     * {@code --keep} (the work folder with both systems' logs).
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(".");
        Path report = null;
        RunPathPlan plan = RunPathPlan.FULL;
        Integer seconds = null;
        int[] rates = null;
        Double historyScale = null;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--report" -> report = Path.of(args[++i]);
                case "--quick" -> plan = RunPathPlan.QUICK;
                case "--keep" -> keep = true;
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--history-scale" -> historyScale = Double.parseDouble(args[++i]);
                case "--rates" -> rates = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt)
                        .toArray();
                default -> usage();
            }
        }
        if (rates != null) {
            if (rates.length != 3 || Arrays.stream(rates).anyMatch(r -> r < 1 || r > 2000)) {
                usage();
            }
            plan = plan.withRates(rates[0], rates[1], rates[2]);
        }
        if (seconds != null) {
            if (seconds < 1 || seconds > 600) {
                usage();
            }
            plan = plan.withPhases(Duration.ofSeconds(seconds));
        }
        if (historyScale != null) {
            if (historyScale < 0 || historyScale > 10) {
                usage();
            }
            plan = plan.withHistoryScale(historyScale);
        }
        String command = "bench/run runpath" + (plan.name().equals("quick") ? " --quick" : "")
                + (seconds != null ? " --seconds " + seconds : "")
                + (historyScale != null ? " --history-scale " + historyScale : "")
                + (rates != null ? " --rates " + rates[0] + "," + rates[1] + "," + rates[2] : "");

        Path work = Files.createTempDirectory("tollgate-runpath-");
        LocalPlatform platform = new LocalPlatform(root, work.resolve("tollgate"),
                PlatformBenchmark.LIFTED_RATE_LIMITS);
        BullMqPeer peer = new BullMqPeer(root, work.resolve("peer"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            platform.down();
            peer.stop();
        }));
        PlatformBenchmark.stopAfter(plan.timeLimit(), "the run-path benchmark");

        RunPathFigures figures;
        try (CallbackArrivals callbacks = new CallbackArrivals()) {
            RunPathBenchmark bench = new RunPathBenchmark(plan, callbacks);
            step("starting Tollgate in " + work + " (" + plan.name() + " plan)...");
            PlatformBenchmark.up(platform);
            Optional<PlatformFigures.Seeding> history = bench.seedHistory(platform);
            RunPathFigures.Side tollgate = bench.tollgate(platform);
            PlatformBenchmark.down(platform);
            step("starting the BullMQ peer");
            peer.start();
            RunPathFigures.Side bullmq = bench.peer(peer);
            peer.stop();
            figures = new RunPathFigures(tollgate, bullmq, history);
        }
        String section = RunPathReport.section(figures, plan, command, BenchmarkReport.machine());
        if (report != null) {
            System.setProperty("tollgate.benchmarks.file", report.toString());
        }
        BenchmarkReport.write("runpath", section);
        System.out.println(section);
        if (keep) {
            System.out.println("kept both systems' data and logs in " + work);
        } else {
            WorkFolders.deleteRecursively(work); // kept when anything failed, for its logs
        }
        System.exit(0);
    }

    private static void usage() {
        System.err.println("usage: bench/run runpath [--quick] [--seconds N] [--rates CPU,LATENCY,SATURATION] "
                + "[--history-scale F] [--keep]");
        System.exit(2);
    }

    /**
     * Seeds the plan's history into the platform's store, then stops the platform and starts it again on that data
     * folder, so that Tollgate's phases run as on a platform in use: the history's indexes loaded at start, its pages
     * in the file behind every query. Nothing of it is cleaned before or between the phases.
     */
    private Optional<PlatformFigures.Seeding> seedHistory(LocalPlatform platform) throws Exception {
        HistorySeeder.Counts counts = plan.history();
        if (counts.runs() == 0) {
            return Optional.empty();
        }
        PlatformFigures.Seeding seeding = PlatformBenchmark.seedHistory(platform, counts);
        step("restarting Tollgate on the seeded data folder");
        PlatformBenchmark.restart(platform);
        return Optional.of(seeding);
    }

    private RunPathFigures.Side tollgate(LocalPlatform platform) throws Exception {
        JsonNode stack = PlatformBenchmark.readStack(platform);
        PlatformClient client = new PlatformClient(stack.get("gateway_url").asText());
        String user = client.token(stack.get("api_key").asText());
        // Enough credits that purchases never run short (the demo grant is 10,000).
        client.grant(client.token(stack.get("admin_key").asText()), stack.get("user_id").asText(), 10_000_000,
                "runpath-" + UUID.randomUUID());
        Target tollgate = new Target("Tollgate", client, user, stack.get("workflow_id").asText(), platform::pids,
                () -> {
                    LocalPlatform.Result added = platform.addWorker();
                    if (added.exitCode() != 0) {
                        throw new IllegalStateException("deploy/local/add-worker failed:\n" + added.output());
                    }
                    PlatformBenchmark.awaitWorkers(platform.kafkaBootstrap(), 2);
                });
        warmUp(tollgate);
        // Purchases warm up right before they are measured, not before the run phases: 90 s without runs between
        // the runs' warm-up and their phases let the JVMs drop the run path's compiled code as cold and compile it
        // again inside the measured window (JIT 4.5 of 17 ms per run, against 0.9 of 10.3 without that pause).
        return measure(tollgate, () -> {
            step("Tollgate: warm-up purchases");
            LoadGenerator.closedLoop(plan.purchaseClients(), plan.warmupPurchases(),
                    () -> PlatformBenchmark.purchase(client, stack, user));
            return PlatformBenchmark.purchases(client, stack, user, plan.purchaseClients(), plan.purchasePhase());
        });
    }

    private RunPathFigures.Side peer(BullMqPeer peer) throws Exception {
        Target bullmq = new Target("peer", new PlatformClient(peer.url()), BullMqPeer.TOKEN, "demo-echo",
                peer::pids, peer::addWorker);
        warmUp(bullmq);
        return measure(bullmq, null);
    }

    @FunctionalInterface
    private interface PurchasePhase {
        PlatformFigures.Purchases run() throws Exception;
    }

    private void warmUp(Target t) throws Exception {
        step(t.name() + ": warm-up");
        PlatformBenchmark.warmUpRuns(t.client(), t.token(), t.workflow(), callbacks, plan.warmupRate(), plan.warmup(),
                plan.patience());
    }

    private RunPathFigures.Side measure(Target t, PurchasePhase purchases) throws Exception {
        step(t.name() + ": CPU per run at " + plan.cpuRate() + "/s for " + plan.cpuPhase().toSeconds() + " s");
        RunPathFigures.Cpu cpu = cpu(t);
        step(t.name() + ": trigger and trigger to callback at " + plan.latencyRate() + "/s for "
                + plan.latencyPhase().toSeconds() + " s");
        PlatformFigures.CallbackLatency latency = PlatformBenchmark.callbackLatency(t.client(), t.token(),
                t.workflow(), callbacks, plan.latencyRate(), plan.latencyPhase(), plan.patience());
        step(t.name() + ": saturation, one worker, offered " + plan.saturationRate() + "/s");
        RunPathFigures.Saturation one = saturation(t, 1);
        step(t.name() + ": adding a worker");
        t.addWorker().run();
        // The added worker starts cold, like any new pod: warmed up as the first was before it is measured.
        warmUp(t);
        step(t.name() + ": saturation, two workers, offered " + plan.saturationRate() + "/s");
        RunPathFigures.Saturation two = saturation(t, 2);
        Optional<PlatformFigures.Purchases> bought = Optional.empty();
        if (purchases != null) {
            step(t.name() + ": purchases (after a warm-up of the same), " + plan.purchaseClients() + " clients for "
                    + plan.purchasePhase().toSeconds() + " s");
            bought = Optional.of(purchases.run());
        }
        Map<String, Optional<ProcessFigures.Memory>> memory = new LinkedHashMap<>();
        Map<String, Long> pids = t.pids().get();
        pids.forEach((name, pid) -> memory.put(name, ProcessFigures.memory(pid)));
        step(t.name() + " processes (stopped next): " + pids);
        return new RunPathFigures.Side(t.name(), cpu, latency, one, two, bought, memory);
    }

    /** Every process's CPU from the first trigger to the last callback, per run. */
    private RunPathFigures.Cpu cpu(Target t) throws Exception {
        Map<String, Long> pids = t.pids().get();
        Set<String> runs = ConcurrentHashMap.newKeySet();
        Map<String, Double> before = ProcessFigures.cpuMillis(pids);
        Map<String, Double> jitBefore = ProcessFigures.jitCpuMillis(pids);
        LatencySample acks = LoadGenerator.fixedRate(plan.cpuRate(), plan.cpuPhase(), () -> trigger(t, runs));
        int called = callbacks.await(runs, plan.patience()).size();
        Map<String, Double> after = ProcessFigures.cpuMillis(pids);
        Map<String, Double> jitAfter = ProcessFigures.jitCpuMillis(pids);
        return new RunPathFigures.Cpu(plan.cpuRate(), runs.size(), called, acks.failures(),
                PlatformBenchmark.perRun(before, after, runs.size()),
                PlatformBenchmark.perRun(jitBefore, jitAfter, runs.size()));
    }

    /**
     * The saturation rate offered for the phase, at most {@link RunPathPlan#saturationInFlight()} triggers awaiting
     * their answer; runs per second from the callbacks that arrived after the ramp and before the offering ended;
     * then every accepted run's callback awaited, so the next phase starts from an empty queue.
     */
    private RunPathFigures.Saturation saturation(Target t, int workers) throws Exception {
        Set<String> runs = ConcurrentHashMap.newKeySet();
        Semaphore inFlight = new Semaphore(plan.saturationInFlight());
        AtomicLong skipped = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Queue<Long> answers = new ConcurrentLinkedQueue<>();
        long t0 = System.nanoTime();
        LatencySample acks = LoadGenerator.fixedRate(plan.saturationRate(), plan.saturationPhase(), () -> {
            if (!inFlight.tryAcquire()) {
                skipped.incrementAndGet();
                return false;
            }
            try {
                long sent = System.nanoTime();
                PlatformClient.TriggerAnswer answer = t.client().triggerAnswer(t.token(), t.workflow(),
                        PlatformBenchmark.triggerBody(callbacks));
                answers.add(System.nanoTime() - sent);
                if (answer.refused()) {
                    refused.incrementAndGet();
                }
                answer.runId().ifPresent(runs::add);
                return answer.runId().isPresent();
            } finally {
                inFlight.release();
            }
        });
        long from = t0 + plan.saturationRamp().toNanos();
        long end = t0 + plan.saturationPhase().toNanos();
        Map<String, Long> arrived = callbacks.await(runs, plan.patience());
        int inWindow = (int) arrived.values().stream().filter(at -> at >= from && at <= end).count();
        int byEnd = (int) arrived.values().stream().filter(at -> at <= end).count();
        long last = arrived.values().stream().mapToLong(Long::longValue).max().orElse(end);
        double window = (end - from) / 1e9;
        List<Long> sorted = answers.stream().sorted().toList();
        double answerP99 = sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1,
                Math.ceil(sorted.size() * 0.99) - 1)) / 1e6;
        return new RunPathFigures.Saturation(workers, plan.saturationRate(), acks.requests(), runs.size(),
                skipped.get(), refused.get(), acks.failures() - skipped.get() - refused.get(), answerP99, window,
                inWindow, inWindow / window, runs.size() - byEnd, arrived.size(), Math.max(0, (last - end) / 1e9));
    }

    private boolean trigger(Target t, Set<String> runs) {
        return t.client().trigger(t.token(), t.workflow(), PlatformBenchmark.triggerBody(callbacks)).map(runs::add)
                .isPresent();
    }

    private static final long STARTED = System.nanoTime();

    private static void step(String what) {
        System.out.printf(Locale.ROOT, "[runpath %5.1f s] %s%n", (System.nanoTime() - STARTED) / 1e9, what);
    }
}
