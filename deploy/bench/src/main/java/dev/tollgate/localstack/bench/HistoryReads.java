package dev.tollgate.localstack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import dev.tollgate.localstack.launcher.LocalPlatform;
import dev.tollgate.localstack.testing.BenchmarkReport;

/**
 * What a run reads from the store's file, on an empty store and beside a history: the platform as deploy/local/up
 * starts it, triggers with request_id, metadata and a loopback callback at a fixed rate after a warm-up, then the
 * same after seeding the history and restarting on that folder. Prints the trigger's answer time, trigger to callback,
 * CPU ms per run per process, and the local stack's file reads per run ({@code /proc/<pid>/io}: {@code rchar} is every
 * byte read, {@code read_bytes} what came from the disk rather than the OS page cache) with H2's page cache hit ratio.
 * It was written when a run triggered with a request_id got a hashed id, so its inserts landed anywhere in trees the
 * history makes larger than the store's page cache (stop 39); it measures what the history costs a run, which the
 * platform benchmark only shows as latency.
 * Figures go to standard output, not to docs/benchmarks.md (a diagnostic, one pass of each).
 */
public final class HistoryReads {

    public static void main(String[] args) throws Exception {
        Path root = Path.of(".").toAbsolutePath().normalize();
        int warmupSeconds = 120;
        int rate = 100;
        int seconds = 60;
        double historyScale = 1.0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--history-scale" -> historyScale = Double.parseDouble(args[++i]);
                default -> {
                    System.err.println("usage: HistoryReads [--root DIR] [--warmup-seconds N] [--rate N] "
                            + "[--seconds N] [--history-scale F]");
                    System.exit(2);
                }
            }
        }
        if (rate < 1 || rate > 400 || seconds < 1 || seconds > 600 || warmupSeconds < 0 || warmupSeconds > 600) {
            System.err.println("--rate 1-400, --seconds 1-600, --warmup-seconds 0-600");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("tollgate-history-reads-");
        LocalPlatform platform = new LocalPlatform(root, work, PlatformBenchmark.LIFTED_RATE_LIMITS);
        Runtime.getRuntime().addShutdownHook(new Thread(platform::down));
        PlatformBenchmark.stopAfter(Duration.ofMinutes(60), "history-reads");
        System.out.println(BenchmarkReport.machine());
        PlatformBenchmark.up(platform);
        measure("empty", platform, warmupSeconds, rate, seconds);
        String mongo = "mongodb://127.0.0.1:" + platform.ports.get("mongo");
        HistorySeeder.Seeded seeded = HistorySeeder.seed(mongo,
                HistorySeeder.Options.of(HistorySeeder.Counts.ISSUE.scaled(historyScale)),
                line -> System.out.println(line.strip()));
        System.out.println("seeded " + seeded.summary());
        System.out.println(HistorySeeder.compact(mongo).summary());
        platform.down();
        PlatformBenchmark.up(platform);
        measure("history", platform, warmupSeconds, rate, seconds);
        platform.down();
        System.exit(0);
    }

    private static void measure(String store, LocalPlatform platform, int warmupSeconds, int rate, int seconds)
            throws Exception {
        long localStack = platform.pids().get("local-stack");
        try (MongoClient mongo = MongoClients.create("mongodb://127.0.0.1:" + platform.ports.get("mongo"))) {
            StoreReads reads = new StoreReads(mongo, localStack);
            FixedRatePass pass = FixedRatePass.run(platform, Duration.ofSeconds(warmupSeconds), rate,
                    Duration.ofSeconds(seconds), reads);
            LatencySample latencies = pass.toCallback();
            LatencySample acks = pass.acks();
            int runs = Math.max(1, latencies.sortedNanos().size());
            System.out.printf(Locale.ROOT, "[%s] trigger ack p50 %.1f ms, p99 %.1f, max %.1f%n", store,
                    acks.p50Millis(), acks.p99Millis(), acks.maxMillis());
            System.out.printf(Locale.ROOT, "[%s] %d runs at %d/s, %d called back: trigger to callback p50 %.1f ms, "
                    + "p95 %.1f, p99 %.1f%n", store, acks.requests(), rate, latencies.sortedNanos().size(),
                    latencies.p50Millis(), latencies.p95Millis(), latencies.p99Millis());
            pass.cpuMillisPerRun().forEach((process, perRun) -> System.out.printf(Locale.ROOT,
                    "[%s] CPU ms per run, %s: %.2f%n", store, process, perRun));
            System.out.printf(Locale.ROOT, "[%s] CPU ms per run, all processes: %.2f%n", store,
                    pass.cpuMillisPerRunAll());
            for (String counter : List.of("rchar", "read_bytes", "syscr", "wchar")) {
                System.out.printf(Locale.ROOT, "[%s] local stack %s per run: %.0f%n", store, counter,
                        (reads.ioAfter.get(counter) - reads.ioBefore.get(counter)) / (double) runs);
            }
            System.out.printf(Locale.ROOT, "[%s] store page cache hit ratio since its start: %s %% before, %s %% after%n",
                    store, reads.statsBefore.get("cacheHitRatio"), reads.statsAfter.get("cacheHitRatio"));
        }
    }

    /** The local stack's file reads and the store's page cache counters, around the measured window. */
    private static final class StoreReads implements FixedRatePass.Window {
        private final MongoClient mongo;
        private final long localStack;
        Map<String, Long> ioBefore;
        Map<String, Long> ioAfter;
        Document statsBefore;
        Document statsAfter;

        StoreReads(MongoClient mongo, long localStack) {
            this.mongo = mongo;
            this.localStack = localStack;
        }

        @Override
        public void opened() throws IOException {
            statsBefore = storeStats(mongo);
            ioBefore = io(localStack);
        }

        @Override
        public void closed(int runs) throws IOException {
            ioAfter = io(localStack);
            statsAfter = storeStats(mongo);
        }
    }

    private static Document storeStats(MongoClient mongo) {
        return mongo.getDatabase("tollgate-workflow").runCommand(new Document("tollgateStats", 1));
    }

    /** The process's I/O counters (Linux). */
    private static Map<String, Long> io(long pid) throws IOException {
        Map<String, Long> counters = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
            String[] nameValue = line.split(":\\s*");
            counters.put(nameValue[0], Long.parseLong(nameValue[1].trim()));
        }
        return counters;
    }
}
