package dev.tollgate.localstack.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.localstack.launcher.LocalPlatform;
import dev.tollgate.localstack.testing.BenchmarkReport;

/**
 * Issue 21's overload figures: the platform as {@code deploy/local/up} starts it (rate limits lifted), warmed up; its
 * saturation measured (runs/s of a closed-loop flood); triggers with a request id, metadata and a callback at half of
 * it (trigger to callback, the baseline); then at twice it, open loop, for a minute: how long every request took to be
 * answered (accepted, or refused with a {@code Retry-After}), whether every accepted run completed and called back, and
 * whether any process restarted; then, 30 s after the overload ended, half the saturation again, beside the baseline.
 * Loopback only, bounded in time; writes its section of docs/benchmarks.md.
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

    /** One overload request's answer: its status (0 when none came), how long it took, and its Retry-After. */
    record Answer(int status, long nanos, boolean retryAfter, String runId) {
    }

    /** What the drill measured. */
    record Figures(double saturation, PlatformFigures.CallbackLatency before, int overloadRate, List<Answer> answers,
            int accepted, int completed, int calledBack, boolean restarted, PlatformFigures.CallbackLatency after) {
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
            step(String.format(Locale.ROOT, "saturation %.0f runs/s; half of it, %d/s, for %d s", saturation, half,
                    plan.halfPhase().toSeconds()));
            PlatformFigures.CallbackLatency before = PlatformBenchmark.callbackLatency(client, user, workflow, callbacks,
                    half, plan.halfPhase(), Duration.ofSeconds(120));

            Map<String, Long> pidsBefore = platform.pids();
            step("overload: " + overload + "/s for " + plan.overloadPhase().toSeconds() + " s");
            List<Answer> answers = overload(client, user, workflow, callbacks, overload, plan.overloadPhase());
            long overloadEnded = System.nanoTime();
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            answers.stream().filter(a -> a.runId() != null).forEach(a -> accepted.add(a.runId()));
            step(accepted.size() + " accepted; waiting for their ends and callbacks");
            int completed = completions.await(accepted, Duration.ofMinutes(5)).size();
            int calledBack = callbacks.await(accepted, Duration.ofMinutes(5)).size();
            boolean restarted = !platform.pids().equals(pidsBefore);

            long settleLeft = overloadEnded + plan.settle().toNanos() - System.nanoTime();
            if (settleLeft > 0) {
                Thread.sleep(Duration.ofNanos(settleLeft)); // the "30 s after the overload", not a wait
            }
            step("half the saturation again, " + half + "/s");
            PlatformFigures.CallbackLatency after = PlatformBenchmark.callbackLatency(client, user, workflow, callbacks,
                    half, plan.halfPhase(), Duration.ofSeconds(120));
            return new Figures(saturation, before, overload, answers, accepted.size(), completed, calledBack,
                    restarted, after);
        }
    }

    /** {@code rate} triggers per second, open loop, for {@code phase}: every answer with how long it took. */
    private static List<Answer> overload(PlatformClient client, String user, String workflow,
            CallbackArrivals callbacks, int rate, Duration phase) throws InterruptedException {
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        LoadGenerator.fixedRate(rate, phase, () -> {
            long t0 = System.nanoTime();
            try {
                PlatformClient.TriggerAnswer a = client.triggerAnswer(user, workflow,
                        PlatformBenchmark.triggerBody(callbacks));
                answers.add(new Answer(a.status(), System.nanoTime() - t0, a.retryAfter().isPresent(),
                        a.runId().orElse(null)));
                return a.runId().isPresent();
            } catch (RuntimeException e) {
                answers.add(new Answer(0, System.nanoTime() - t0, false, null));
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
                + "then triggers with a request id, metadata and a loopback callback at half of it for %d s; then "
                + "at %.0fx it, open loop, for %d s (each request on its own virtual thread, so a slow answer never "
                + "holds back the next); then, %d s after the overload ended, half of it again.%n%n",
                plan.warmup().toSeconds(), plan.warmupRate(), plan.saturationRuns(), plan.halfPhase().toSeconds(),
                plan.overloadFactor(), plan.overloadPhase().toSeconds(), plan.settle().toSeconds()));
        s.append("| figure | value | target |\n|---|---|---|\n");
        s.append(String.format(Locale.ROOT, "| saturation, runs/s | %.0f | |%n", f.saturation()));
        s.append(String.format(Locale.ROOT, "| offered during the overload, triggers/s | %d | 2x saturation |%n",
                f.overloadRate()));
        s.append(String.format(Locale.ROOT, "| requests sent | %,d | |%n", f.answers().size()));
        s.append(String.format(Locale.ROOT, "| accepted (200) | %,d | |%n", f.accepted()));
        s.append(String.format(Locale.ROOT, "| refused 503/429, of them with a Retry-After | %,d / %,d | all |%n",
                refused, refusedWithHint));
        s.append(String.format(Locale.ROOT, "| any other answer or none | %,d | 0 |%n", other));
        s.append(String.format(Locale.ROOT, "| answered within 1 s | %,d (%.2f %%) | all |%n", withinSecond,
                100.0 * withinSecond / Math.max(1, nanos.size())));
        s.append(String.format(Locale.ROOT, "| answer time p50 / p99 / max ms | %.1f / %.1f / %.1f | max at most 1,000 |%n",
                millis(nanos, 50), millis(nanos, 99), nanos.isEmpty() ? 0 : nanos.getLast() / 1e6));
        s.append(String.format(Locale.ROOT, "| accepted runs completed / called back | %,d / %,d of %,d | all |%n",
                f.completed(), f.calledBack(), f.accepted()));
        s.append(String.format(Locale.ROOT, "| a process restarted | %s | no |%n", f.restarted() ? "yes" : "no"));
        s.append(String.format(Locale.ROOT, "| trigger to callback p95 ms at half the saturation, before | %.1f | |%n",
                f.before().fromAccepted().p95Millis()));
        s.append(String.format(Locale.ROOT, "| the same, %d s after the overload | %.1f | |%n", plan.settle().toSeconds(),
                f.after().fromAccepted().p95Millis()));
        s.append(String.format(Locale.ROOT, "| after / before | %.2f | at most 1.2 |%n", ratio));
        s.append("\n");
        return s.toString();
    }

    private static double millis(List<Long> sorted, int percentile) {
        return sorted.isEmpty() ? 0 : BenchmarkReport.millis(BenchmarkReport.percentile(sorted, percentile));
    }

    private static void step(String what) {
        System.out.println("[overload] " + what);
    }
}
