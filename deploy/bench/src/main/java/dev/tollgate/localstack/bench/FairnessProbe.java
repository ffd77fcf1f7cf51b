package dev.tollgate.localstack.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.localstack.launcher.LocalPlatform;
import dev.tollgate.localstack.testing.BenchmarkReport;

/**
 * A diagnostic for issue 19's fairness phase alone, printed rather than written: the platform as deploy/local/up
 * starts it, warmed up, then tenant B at a steady rate alone and while tenant A floods, as {@code bench/run platform}
 * measures it, plus where B's time went (waiting for a worker, running, delivering the callback) in both, so a
 * change to dispatch or delivery can be tried in minutes before the full benchmark. {@code --history-scale F} seeds
 * a history first (default none).
 */
public final class FairnessProbe {

    public static void main(String[] args) throws Exception {
        Path root = Path.of(".").toAbsolutePath().normalize();
        int warmupSeconds = 90;
        int floodRuns = Plan.FULL.floodRuns();
        int floodClients = Plan.FULL.floodClients();
        int rate = Plan.FULL.tenantBRate();
        int aloneSeconds = (int) Plan.FULL.tenantBAlone().toSeconds();
        double historyScale = 0;
        int floodRate = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[++i]);
                case "--flood-runs" -> floodRuns = Integer.parseInt(args[++i]);
                case "--flood-clients" -> floodClients = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--alone-seconds" -> aloneSeconds = Integer.parseInt(args[++i]);
                case "--history-scale" -> historyScale = Double.parseDouble(args[++i]);
                case "--flood-rate" -> floodRate = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: FairnessProbe [--root DIR] [--warmup-seconds N] [--flood-runs N] "
                            + "[--flood-clients N] [--rate N] [--alone-seconds N] [--history-scale F]");
                    System.exit(2);
                }
            }
        }
        if (floodRuns < 1 || floodRuns > 20_000 || floodClients < 1 || floodClients > 64 || rate < 1 || rate > 100
                || aloneSeconds < 1 || aloneSeconds > 300 || warmupSeconds < 0 || warmupSeconds > 600) {
            System.err.println("--flood-runs 1-20000, --flood-clients 1-64, --rate 1-100, --alone-seconds 1-300, "
                    + "--warmup-seconds 0-600");
            System.exit(2);
        }
        run(root, warmupSeconds, floodRuns, floodClients, rate, aloneSeconds, historyScale, floodRate);
    }

    private static void run(Path root, int warmupSeconds, int floodRuns, int floodClients, int rate, int aloneSeconds,
            double historyScale, int floodRate) throws Exception {
        Path work = Files.createTempDirectory("tollgate-fairness-");
        LocalPlatform platform = new LocalPlatform(root, work, PlatformBenchmark.LIFTED_RATE_LIMITS);
        Runtime.getRuntime().addShutdownHook(new Thread(platform::down));
        PlatformBenchmark.stopAfter(Duration.ofMinutes(45), "the fairness probe");
        System.out.println(BenchmarkReport.machine());
        PlatformBenchmark.up(platform);
        if (historyScale > 0) {
            PlatformBenchmark.seedHistory(platform, HistorySeeder.Counts.ISSUE.scaled(historyScale));
            PlatformBenchmark.restart(platform);
        }
        JsonNode stack = PlatformBenchmark.readStack(platform);
        PlatformClient client = new PlatformClient(stack.get("gateway_url").asText());
        PlatformClient clientB = client.another();
        String a = client.token(stack.get("api_key").asText());
        String b = client.token(stack.get("second_api_key").asText());
        String workflow = stack.get("workflow_id").asText();
        client.grant(client.token(stack.get("admin_key").asText()), stack.get("user_id").asText(), 10_000_000,
                "probe-" + UUID.randomUUID());
        try (CallbackArrivals callbacks = new CallbackArrivals();
                RunCompletions completions = new RunCompletions(platform.kafkaBootstrap())) {
            System.out.println("[probe] warm-up, " + warmupSeconds + " s at 100/s");
            PlatformBenchmark.warmUpRuns(client, a, workflow, callbacks, 100, Duration.ofSeconds(warmupSeconds),
                    Duration.ofSeconds(180));
            TenantFairness.flood(client, a, workflow, callbacks, completions, 600, floodClients);

            System.out.println("[probe] tenant B at " + rate + "/s alone, " + aloneSeconds + " s");
            TenantFairness.Steady alone = TenantFairness.steadyFor(clientB, b, workflow, callbacks, rate,
                    Duration.ofSeconds(aloneSeconds));
            print("B alone", alone, callbacks);
            Thread.sleep(TenantFairness.B_IDLE); // B idle, as the platform defines it

            System.out.println("[probe] tenant A floods " + floodRuns + " runs alone");
            TenantFairness.Flood aAlone = TenantFairness.flood(client, a, workflow, callbacks, completions, floodRuns,
                    floodClients);
            System.out.printf(Locale.ROOT, "[probe] A alone: %d accepted, %d completed, %.1f runs/s%n",
                    aAlone.accepted(), aAlone.completed(), aAlone.runsPerSecond());

            System.out.println("[probe] tenant B while tenant A floods " + floodRuns + " runs");
            TenantFairness.BesideFlood beside = TenantFairness.besideFlood(client, clientB, a, b, workflow,
                    callbacks, completions, floodRuns, floodClients, rate);
            TenantFairness.Steady during = beside.b();
            TenantFairness.Flood aBeside = beside.a();
            print("B during the flood", during, callbacks);
            if (floodRate > 0) {
                System.out.println("[probe] tenant B while tenant A triggers at " + floodRate + "/s (paced)");
                AtomicBoolean paced = new AtomicBoolean(true);
                int seconds = Math.max(5, floodRuns / floodRate);
                CompletableFuture<LatencySample> pacedA = CompletableFuture.supplyAsync(() -> {
                    try {
                        return LoadGenerator.fixedRate(floodRate, Duration.ofSeconds(seconds),
                                () -> client.trigger(a, workflow, PlatformBenchmark.triggerBody(callbacks)).isPresent());
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        paced.set(false);
                    }
                });
                TenantFairness.Steady besidePaced = TenantFairness.steadyWhile(clientB, b, workflow, callbacks, rate,
                        paced);
                print("B beside A at " + floodRate + "/s", besidePaced, callbacks);
                System.out.printf(Locale.ROOT, "[probe] A paced: ack p95 %.1f ms%n", pacedA.get().p95Millis());
            }
            System.out.printf(Locale.ROOT, "[probe] A beside B: %d accepted, %d completed, %.1f runs/s%n",
                    aBeside.accepted(), aBeside.completed(), aBeside.runsPerSecond());
            System.out.printf(Locale.ROOT, "[probe] B p95 during / alone: %.2f (target at most 2)%n",
                    during.latencies().p95Millis() / Math.max(1e-9, alone.latencies().p95Millis()));
        }
        platform.down();
        WorkFolders.deleteRecursively(work);
        System.exit(0);
    }

    private static void print(String what, TenantFairness.Steady steady, CallbackArrivals callbacks) {
        LatencySample l = steady.latencies();
        System.out.printf(Locale.ROOT, "[probe] %s: %d sent, %d refused %s, %d called back; trigger sent to callback "
                + "p50 %.1f ms, p95 %.1f, p99 %.1f, max %.1f; ack p50 %.1f ms, p95 %.1f%n", what, steady.triggered(),
                steady.refused(), steady.refusals(), l.sortedNanos().size(), l.p50Millis(), l.p95Millis(),
                l.p99Millis(), l.maxMillis(), steady.acks().p50Millis(), steady.acks().p95Millis());
        Collection<CallbackArrivals.Stages> stages = callbacks.stages(steady.runIds()).values();
        stage(what, "queued (created to started)", stages, CallbackArrivals.Stages::queuedMillis);
        stage(what, "running (started to completed)", stages, CallbackArrivals.Stages::runningMillis);
        stage(what, "delivery (completed to callback)", stages, CallbackArrivals.Stages::deliveryMillis);
    }

    private static void stage(String what, String stage, Collection<CallbackArrivals.Stages> stages,
            ToLongFunction<CallbackArrivals.Stages> millis) {
        List<Long> sorted = stages.stream().mapToLong(millis).filter(m -> m >= 0).sorted().boxed().toList();
        if (sorted.isEmpty()) {
            return;
        }
        System.out.printf(Locale.ROOT, "[probe] %s, %s: p50 %d ms, p95 %d, max %d%n", what, stage,
                BenchmarkReport.percentile(sorted, 50), BenchmarkReport.percentile(sorted, 95), sorted.getLast());
    }
}
