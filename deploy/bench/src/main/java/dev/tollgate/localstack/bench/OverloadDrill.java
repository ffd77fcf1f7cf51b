package dev.tollgate.localstack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.localstack.launcher.LocalPlatform;
import dev.tollgate.localstack.testing.BenchmarkReport;

/**
 * Issue 21's overload figures: the platform as {@code deploy/local/up} starts it (rate limits lifted), warmed up; its
 * saturation measured (runs/s of a closed-loop flood); 30 s later, triggers with a request id, metadata and a callback
 * at half of it (trigger to callback, the baseline); then at twice it, open loop, for a minute: how long every request
 * took to be answered (accepted, or refused with a {@code Retry-After}) and who answered, whether every accepted run
 * completed and called back, and whether any process restarted or stopped (then and at the end); then, 30 s after
 * the overload ended, half the saturation again, twice in a row, beside the baseline, with where each phase's time
 * went (answer, queue, run, delivery) and each process's CPU. Loopback only, bounded in time; writes its section of
 * docs/benchmarks.md.
 */
public final class OverloadDrill {

    /** How much load each phase offers. */
    record Plan(String name, int warmupRate, Duration warmup, int saturationRuns, Duration halfPhase,
            Duration overloadPhase, Duration settle, double overloadFactor) {
        static final Plan FULL = new Plan("full", 100, Duration.ofSeconds(150), 3000, Duration.ofSeconds(30),
                Duration.ofSeconds(60), Duration.ofSeconds(30), 2.0);
        static final Plan QUICK = new Plan("quick", 10, Duration.ofSeconds(5), 100, Duration.ofSeconds(3),
                Duration.ofSeconds(5), Duration.ofSeconds(3), 2.0);
    }

    /** Whether the launcher replaced a process (its pids changed) or one of those it started is gone. */
    static boolean restartedOrStopped(LocalPlatform platform, Map<String, Long> pidsBefore) throws IOException {
        return !platform.pids().equals(pidsBefore) || pidsBefore.values().stream()
                .anyMatch(pid -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    /**
     * One overload request's answer: its status (0 when none came), how long it took, its Retry-After, the run it
     * created, an error answer's message (which part of the platform refused it), and when it was sent (nanoseconds
     * since the overload began).
     */
    record Answer(int status, long nanos, boolean retryAfter, String runId, String message, long sentAt) {

        /** Who answered and how, as the report's table names it. */
        String kind() {
            if (status == 200) {
                return "accepted (200)";
            }
            if (status == 429) {
                return "429 over the budget's share (workflow api)";
            }
            if (status == 503) {
                if (message.startsWith("Too many requests are waiting for this service")) {
                    return "503 at the gateway (its in-flight bound for the service)";
                }
                if (message.startsWith("Too many runs are waiting")) {
                    return "503 by the workflow api (run queue full)";
                }
                if (message.startsWith("This service is working on as many")) {
                    return "503 by the workflow api (its own in-flight bound)";
                }
                if (message.startsWith("This service could not start the request in time")) {
                    return "503 by the workflow api (waited past its queue time)";
                }
                if (message.startsWith("This service has no worker free")) {
                    return "503 by the workflow api (worker queue full)";
                }
            }
            return status == 0 ? "no answer" : "other: " + status;
        }
    }

    /** What the drill measured. */
    record Figures(double saturation, PlatformFigures.CallbackLatency before, int overloadRate, List<Answer> answers,
            int accepted, int completed, int calledBack, boolean restarted, PlatformFigures.CallbackLatency after,
            PlatformFigures.CallbackLatency later, Map<String, List<Long>> beforeStages,
            Map<String, List<Long>> afterStages, Map<String, List<Long>> laterStages, double drainedSeconds,
            Map<String, List<CpuSnapshot.Use>> cpu) {
    }

    /** Each process's CPU time so far (and its JIT compilers'), to tell which one was busy in a window. */
    record CpuSnapshot(long nanos, Map<String, Double> cpuMillis, Map<String, Double> jitMillis) {

        /** A process's share of one core over a window, in percent, and its JIT compilers' part of it. */
        record Use(String process, double percent, double jitPercent) {
        }

        static CpuSnapshot of(Map<String, Long> pids) {
            return new CpuSnapshot(System.nanoTime(), ProcessFigures.cpuMillis(pids),
                    ProcessFigures.jitCpuMillis(pids));
        }

        List<Use> since(CpuSnapshot earlier) {
            double wallMillis = Math.max(1, (nanos - earlier.nanos) / 1e6);
            List<Use> uses = new ArrayList<>();
            cpuMillis.forEach((process, ms) -> uses.add(new Use(process,
                    100 * (ms - earlier.cpuMillis.getOrDefault(process, ms)) / wallMillis,
                    100 * (jitMillis.getOrDefault(process, 0.0) - earlier.jitMillis.getOrDefault(process, 0.0))
                            / wallMillis)));
            return uses;
        }
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(".");
        Path report = null;
        Plan plan = Plan.FULL;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--report" -> report = Path.of(args[++i]);
                case "--quick" -> plan = Plan.QUICK;
                default -> {
                    System.err.println("usage: bench/run overload [--quick]");
                    System.exit(2);
                }
            }
        }
        if (report != null) {
            System.setProperty("tollgate.benchmarks.file", report.toString());
        }
        PlatformBenchmark.stopAfter(Duration.ofMinutes(plan == Plan.QUICK ? 10 : 25), "the overload drill");
        Path work = Files.createTempDirectory("tollgate-overload-");
        LocalPlatform platform = new LocalPlatform(root, work, PlatformBenchmark.LIFTED_RATE_LIMITS);
        Runtime.getRuntime().addShutdownHook(new Thread(platform::down));
        PlatformBenchmark.up(platform);
        Figures figures = run(platform, plan);
        String section = section(figures, plan, BenchmarkReport.machine());
        // The quick plan checks the harness; its section never replaces the full plan's figures.
        BenchmarkReport.write(plan == Plan.QUICK ? "overload-quick" : "overload", section);
        System.out.println(section);
        PlatformBenchmark.down(platform);
        if (figures.restarted()) {
            // Why a process stopped is in its log, which deleting the work folder would take with it (a worker lost in
            // one pass of stop 57 left nothing to read).
            Path kept = WorkFolders.keepCopy(platform.logs(), "tollgate-overload-logs-");
            System.out.println("A process restarted or stopped during the drill; the platform's logs are kept in "
                    + kept);
        }
        WorkFolders.deleteRecursively(work);
        System.exit(0);
    }

    static Figures run(LocalPlatform platform, Plan plan) throws Exception {
        JsonNode stack = PlatformBenchmark.readStack(platform);
        PlatformClient client = new PlatformClient(stack.get("gateway_url").asText());
        String user = client.token(stack.get("api_key").asText());
        String workflow = stack.get("workflow_id").asText();
        client.grant(client.token(stack.get("admin_key").asText()), stack.get("user_id").asText(), 10_000_000,
                "overload-" + UUID.randomUUID());
        try (CallbackArrivals callbacks = new CallbackArrivals();
                RunCompletions completions = new RunCompletions(platform.kafkaBootstrap())) {
            step("warm-up, " + plan.warmup().toSeconds() + " s at " + plan.warmupRate() + "/s");
            PlatformBenchmark.warmUpRuns(client, user, workflow, callbacks, plan.warmupRate(), plan.warmup(),
                    Duration.ofSeconds(180));
            step("saturation: " + plan.saturationRuns() + " runs from 16 clients back to back");
            double saturation = TenantFairness.flood(client, user, workflow, callbacks, completions,
                    plan.saturationRuns(), 16).runsPerSecond();
            int half = Math.max(1, (int) Math.round(saturation / 2));
            int overload = Math.max(2, (int) Math.round(saturation * plan.overloadFactor()));
            // The baseline is measured as long after a burst (the saturation flood) as the phase after the overload
            // is after the overload: measured at once, it carried the flood's wake, and the ratio compared unlike
            // windows (0.45 in one pass, 1.64 in another).
            Thread.sleep(plan.settle());
            step(String.format(Locale.ROOT, "saturation %.0f runs/s; %d s later, half of it, %d/s, for %d s",
                    saturation, plan.settle().toSeconds(), half, plan.halfPhase().toSeconds()));
            Map<String, Long> pidsBefore = platform.pids();
            CpuSnapshot beforeStarted = CpuSnapshot.of(pidsBefore);
            PlatformFigures.CallbackLatency before = PlatformBenchmark.callbackLatency(client, user, workflow, callbacks,
                    half, plan.halfPhase(), Duration.ofSeconds(120));
            CpuSnapshot beforeEnded = CpuSnapshot.of(pidsBefore);

            step("overload: " + overload + "/s for " + plan.overloadPhase().toSeconds() + " s");
            List<Answer> answers = overload(client, user, workflow, callbacks, overload, plan.overloadPhase());
            long overloadEnded = System.nanoTime();
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            answers.stream().filter(a -> a.runId() != null).forEach(a -> accepted.add(a.runId()));
            step(accepted.size() + " accepted; waiting for their ends and callbacks");
            int completed = completions.await(accepted, Duration.ofMinutes(5)).size();
            int calledBack = callbacks.await(accepted, Duration.ofMinutes(5)).size();
            boolean restarted = restartedOrStopped(platform, pidsBefore);
            CpuSnapshot drained = CpuSnapshot.of(pidsBefore);
            double drainedSeconds = (drained.nanos() - overloadEnded) / 1e9;
            step(String.format(Locale.ROOT, "every accepted run called back %.1f s after the overload ended",
                    drainedSeconds));

            long settleLeft = overloadEnded + plan.settle().toNanos() - System.nanoTime();
            if (settleLeft > 0) {
                Thread.sleep(Duration.ofNanos(settleLeft)); // the "30 s after the overload", not a wait
            }
            step("half the saturation again, " + half + "/s");
            CpuSnapshot afterStarted = CpuSnapshot.of(pidsBefore);
            PlatformFigures.CallbackLatency after = PlatformBenchmark.callbackLatency(client, user, workflow, callbacks,
                    half, plan.halfPhase(), Duration.ofSeconds(120));
            CpuSnapshot afterEnded = CpuSnapshot.of(pidsBefore);
            step("and once more right after it (" + 2 * plan.settle().toSeconds() + " s after the overload)");
            PlatformFigures.CallbackLatency later = PlatformBenchmark.callbackLatency(client, user, workflow, callbacks,
                    half, plan.halfPhase(), Duration.ofSeconds(120));
            CpuSnapshot laterEnded = CpuSnapshot.of(pidsBefore);
            // Checked again at the end: a process that stops after the overload (a stalled worker exits) only shows
            // as callbacks that never come and a process missing from the CPU table.
            restarted = restarted || restartedOrStopped(platform, pidsBefore);
            Map<String, List<CpuSnapshot.Use>> cpu = new LinkedHashMap<>();
            cpu.put("before", beforeEnded.since(beforeStarted));
            cpu.put("settling", afterStarted.since(drained));
            cpu.put("after", afterEnded.since(afterStarted));
            cpu.put("later", laterEnded.since(afterEnded));
            return new Figures(saturation, before, overload, answers, accepted.size(), completed, calledBack,
                    restarted, after, later, stages(before, callbacks), stages(after, callbacks),
                    stages(later, callbacks), drainedSeconds, cpu);
        }
    }

    /**
     * Where a phase's time went, per stage, sorted (ms): the trigger's answer, then from the callback's own timestamps
     * queued (created to started), running, delivery (completed to the callback's arrival).
     */
    static Map<String, List<Long>> stages(PlatformFigures.CallbackLatency phase, CallbackArrivals callbacks) {
        Collection<CallbackArrivals.Stages> stages = callbacks.stages(phase.runIds()).values();
        Map<String, List<Long>> of = new LinkedHashMap<>();
        of.put("trigger answered", phase.acks().sortedNanos().stream().map(n -> n / 1_000_000).toList());
        of.put("queued (created to started)", sorted(stages, CallbackArrivals.Stages::queuedMillis));
        of.put("running (started to completed)", sorted(stages, CallbackArrivals.Stages::runningMillis));
        of.put("delivery (completed to callback)", sorted(stages, CallbackArrivals.Stages::deliveryMillis));
        return of;
    }

    private static List<Long> sorted(Collection<CallbackArrivals.Stages> stages,
            ToLongFunction<CallbackArrivals.Stages> millis) {
        return stages.stream().mapToLong(millis).filter(m -> m >= 0).sorted().boxed().toList();
    }

    /** {@code rate} triggers per second, open loop, for {@code phase}: every answer with how long it took. */
    private static List<Answer> overload(PlatformClient client, String user, String workflow,
            CallbackArrivals callbacks, int rate, Duration phase) throws InterruptedException {
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        long began = System.nanoTime();
        LoadGenerator.fixedRate(rate, phase, () -> {
            long t0 = System.nanoTime();
            try {
                PlatformClient.TriggerAnswer a = client.triggerAnswer(user, workflow,
                        PlatformBenchmark.triggerBody(callbacks));
                answers.add(new Answer(a.status(), System.nanoTime() - t0, a.retryAfter().isPresent(),
                        a.runId().orElse(null), a.message(), t0 - began));
                return a.runId().isPresent();
            } catch (RuntimeException e) {
                answers.add(new Answer(0, System.nanoTime() - t0, false, null, "", t0 - began));
                return false;
            }
        });
        return answers;
    }

    static String section(Figures f, Plan plan, String machine) {
        List<Long> nanos = f.answers().stream().map(Answer::nanos).sorted().toList();
        long withinSecond = nanos.stream().filter(n -> n <= 1_000_000_000L).count();
        long refused = f.answers().stream().filter(a -> a.status() == 503 || a.status() == 429).count();
        long refusedWithHint = f.answers().stream().filter(a -> (a.status() == 503 || a.status() == 429)
                && a.retryAfter()).count();
        long other = f.answers().size() - f.accepted() - refused;
        double ratio = f.after().fromAccepted().p95Millis() / Math.max(1e-9, f.before().fromAccepted().p95Millis());
        StringBuilder s = new StringBuilder();
        s.append("## Overload: twice the saturation rate for a minute (issue 21)\n\n");
        s.append("Command: `bench/run overload").append(plan.name().equals("quick") ? " --quick" : "")
                .append("`. Run on ").append(machine).append(".\n");
        s.append(String.format(Locale.ROOT, "The platform as `deploy/local/up` starts it (one worker; the gateway's "
                + "rate limits lifted, so that what answers is the platform's own admission), warmed up %d s at %d/s; "
                + "its saturation measured as the runs per second of %,d runs triggered by 16 clients back to back; "
                + "then, %d s later, triggers with a request id, metadata and a loopback callback at half of it for "
                + "%d s (the baseline, as long after a burst as the phase it is compared with); then at %.0fx it, open "
                + "loop, for %d s (each request on its own virtual thread, so a slow answer never holds back the next); "
                + "then, %d s after the overload ended, half of it again, twice in a row.%n%n",
                plan.warmup().toSeconds(), plan.warmupRate(), plan.saturationRuns(), plan.settle().toSeconds(),
                plan.halfPhase().toSeconds(), plan.overloadFactor(), plan.overloadPhase().toSeconds(),
                plan.settle().toSeconds()));
        s.append("| figure | value | target |\n|---|---|---|\n");
        s.append(String.format(Locale.ROOT, "| saturation, runs/s | %.0f | |%n", f.saturation()));
        s.append(String.format(Locale.ROOT, "| offered during the overload, triggers/s | %d | 2x saturation |%n",
                f.overloadRate()));
        s.append(String.format(Locale.ROOT, "| requests sent | %,d | |%n", f.answers().size()));
        s.append(String.format(Locale.ROOT, "| accepted (200) | %,d | |%n", f.accepted()));
        s.append(String.format(Locale.ROOT, "| refused 503/429, of them with a Retry-After | %,d / %,d | all |%n",
                refused, refusedWithHint));
        s.append(String.format(Locale.ROOT, "| any other answer or none | %,d | 0 |%n", other));
        s.append(String.format(Locale.ROOT, "| answered within 1 s | %,d (%.3f %%) | all |%n", withinSecond,
                100.0 * withinSecond / Math.max(1, nanos.size())));
        s.append(String.format(Locale.ROOT, "| answer time p50 / p99 / max ms | %.1f / %.1f / %.1f | max at most 1,000 |%n",
                millis(nanos, 50), millis(nanos, 99), nanos.isEmpty() ? 0 : nanos.getLast() / 1e6));
        s.append(String.format(Locale.ROOT, "| accepted runs completed / called back | %,d / %,d of %,d | all |%n",
                f.completed(), f.calledBack(), f.accepted()));
        s.append(String.format(Locale.ROOT, "| runs triggered after the overload, called back | %,d of %,d | all |%n",
                f.after().delivered() + f.later().delivered(), f.after().triggered() + f.later().triggered()));
        s.append(String.format(Locale.ROOT,
                "| a process restarted or stopped (after the overload, at the end) | %s | no |%n",
                f.restarted() ? "yes" : "no"));
        s.append(String.format(Locale.ROOT, "| trigger to callback p95 ms at half the saturation, before | %.1f | |%n",
                f.before().fromAccepted().p95Millis()));
        s.append(String.format(Locale.ROOT, "| the same, %d s after the overload | %.1f | |%n", plan.settle().toSeconds(),
                f.after().fromAccepted().p95Millis()));
        s.append(String.format(Locale.ROOT, "| after / before | %.2f | at most 1.2 |%n", ratio));
        s.append(String.format(Locale.ROOT, "| the same, %d s after the overload, / before | %.1f / %.2f | |%n",
                2 * plan.settle().toSeconds(), f.later().fromAccepted().p95Millis(),
                f.later().fromAccepted().p95Millis() / Math.max(1e-9, f.before().fromAccepted().p95Millis())));
        s.append("\nEvery answer during the overload, by who answered and how:\n\n");
        s.append("| answer | count | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n");
        Map<String, List<Long>> byKind = new TreeMap<>();
        f.answers().forEach(a -> byKind.computeIfAbsent(a.kind(), k -> new ArrayList<>()).add(a.nanos()));
        byKind.forEach((kind, times) -> {
            List<Long> sorted = times.stream().sorted().toList();
            s.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f |%n", kind, sorted.size(),
                    millis(sorted, 50), millis(sorted, 99), sorted.getLast() / 1e6));
        });
        Map<Long, Long> slowBySecond = new TreeMap<>();
        f.answers().stream().filter(a -> a.nanos() > 1_000_000_000L)
                .forEach(a -> slowBySecond.merge(a.sentAt() / 1_000_000_000L, 1L, Long::sum));
        if (!slowBySecond.isEmpty()) {
            s.append("\nAnswers over 1 s, by the second of the overload they were sent in: ");
            s.append(String.join(", ", slowBySecond.entrySet().stream()
                    .map(e -> e.getValue() + " at " + e.getKey() + " s").toList()));
            s.append(".\n");
        }
        s.append(String.format(Locale.ROOT, "%nWhere the time of a run at half the saturation went, p95 ms (p50), "
                + "before the overload, %d s and %d s after it:%n%n", plan.settle().toSeconds(),
                2 * plan.settle().toSeconds()));
        s.append("| stage | before | after | later |\n|---|---|---|---|\n");
        f.beforeStages().forEach((stage, before) -> s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n",
                stage, p95(before), p95(f.afterStages().get(stage)), p95(f.laterStages().get(stage)))));
        s.append(String.format(Locale.ROOT, "%nEvery accepted run had called back %.1f s after the overload ended. "
                + "CPU of each process, %% of one core (of it, JIT compilers), while half the saturation ran before, "
                + "while nothing ran between that and the phase after, and in the two phases after:%n%n",
                f.drainedSeconds()));
        s.append("| process |");
        f.cpu().keySet().forEach(window -> s.append(' ').append(window).append(" |"));
        s.append("\n|---|");
        f.cpu().keySet().forEach(window -> s.append("---|"));
        s.append('\n');
        List<String> processes = f.cpu().values().iterator().next().stream().map(CpuSnapshot.Use::process).toList();
        for (String process : processes) {
            s.append("| ").append(process).append(" |");
            f.cpu().values().forEach(uses -> uses.stream().filter(u -> u.process().equals(process)).findFirst()
                    .ifPresentOrElse(u -> s.append(String.format(Locale.ROOT, " %.0f (%.0f) |", u.percent(),
                            u.jitPercent())), () -> s.append(" - |")));
            s.append('\n');
        }
        s.append("\n");
        return s.toString();
    }

    private static String p95(List<Long> sortedMillis) {
        return sortedMillis == null || sortedMillis.isEmpty() ? "-" : BenchmarkReport.percentile(sortedMillis, 95)
                + " (" + BenchmarkReport.percentile(sortedMillis, 50) + ")";
    }

    private static double millis(List<Long> sorted, int percentile) {
        return sorted.isEmpty() ? 0 : BenchmarkReport.millis(BenchmarkReport.percentile(sorted, percentile));
    }

    private static void step(String what) {
        System.out.println("[overload] " + what);
    }
}
