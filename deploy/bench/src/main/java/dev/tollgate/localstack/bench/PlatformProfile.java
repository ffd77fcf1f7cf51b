package dev.tollgate.localstack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.localstack.launcher.LocalPlatform;
import dev.tollgate.localstack.testing.BenchmarkReport;

/**
 * {@code bench/run profile}: where a run's CPU goes (or, with {@code --purchases N}, a purchase's). Starts the platform as {@code deploy/local/up} does (rate limits
 * lifted), warms it up, then records every process with JDK Flight Recorder ({@code jcmd JFR.start}, the
 * {@code default} settings) while triggers with a request id, metadata and a loopback callback arrive at a fixed
 * rate, and reports CPU ms per run per process (from {@code /proc}) beside each process's hottest methods
 * (inclusive, by the innermost frame of Tollgate's own code). The recordings stay in the output folder for
 * {@code jfr} or JDK Mission Control. Loopback only, bounded in time.
 */
public final class PlatformProfile {

    private static final int HOT_METHODS = 10;

    /**
     * {@code --root DIR}, {@code --rate N} (triggers per second, 20: well below saturation), {@code --seconds N} (30), {@code --out DIR}
     * (the recordings; default {@code deploy/local/.run/profile}), {@code --report FILE}, {@code --warm-up N} (seconds of
     * the same load before recording, 15); {@code --purchases N}
     * profiles purchases from N clients back to back instead of runs (its own section of the report).
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(".");
        Path report = null;
        Path out = null;
        int rate = 20;
        int seconds = 30;
        boolean rateGiven = false;
        int purchaseClients = 0;
        int warmUp = 15;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--report" -> report = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--rate" -> {
                    rate = Integer.parseInt(args[++i]);
                    rateGiven = true;
                }
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--purchases" -> purchaseClients = Integer.parseInt(args[++i]);
                case "--warm-up" -> warmUp = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: bench/run profile [--rate N | --purchases CLIENTS] [--seconds N] [--warm-up N] [--out DIR]");
                    System.exit(2);
                }
            }
        }
        if (purchaseClients > 0 && rateGiven) {
            System.err.println("--rate and --purchases are two different loads: give one");
            System.exit(2);
        }
        if (rate < 1 || rate > 1000 || seconds < 1 || seconds > 300 || purchaseClients < 0 || purchaseClients > 64
                || warmUp < 0 || warmUp > 600) {
            System.err.println("--rate must be 1..1000, --purchases 1..64, --seconds 1..300 and --warm-up 0..600");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("tollgate-profile-");
        Path recordings = out != null ? out : root.resolve("deploy/local/.run/profile");
        Files.createDirectories(recordings);
        LocalPlatform platform = new LocalPlatform(root, work, PlatformBenchmark.LIFTED_RATE_LIMITS);
        Runtime.getRuntime().addShutdownHook(new Thread(platform::down));
        PlatformBenchmark.stopAfter(Duration.ofSeconds(warmUp + seconds).plusMinutes(10), "the profile");

        System.out.println("starting the platform in " + work + "...");
        PlatformBenchmark.up(platform);
        JsonNode stack = PlatformBenchmark.readStack(platform);
        PlatformClient client = new PlatformClient(stack.get("gateway_url").asText());
        String user = client.token(stack.get("api_key").asText());
        String workflow = stack.get("workflow_id").asText();
        String section;
        if (purchaseClients > 0) {
            // Enough credits that purchases never run short (the demo grant is 10,000).
            client.grant(client.token(stack.get("admin_key").asText()), stack.get("user_id").asText(), 10_000_000,
                    "profile-" + java.util.UUID.randomUUID());
        }
        try (CallbackArrivals callbacks = new CallbackArrivals()) {
            Job job = purchaseClients > 0 ? new Purchases(client, stack, user, purchaseClients, seconds, warmUp)
                    : new Runs(client, user, workflow, callbacks, rate, seconds, warmUp);
            System.out.println("[profile] warm-up: " + job.describeWarmUp(warmUp));
            job.warmUp(warmUp);

            Map<String, Long> pids = platform.pids();
            pids.values().forEach(pid -> jcmd(pid, "JFR.start", "name=tollgate-profile", "settings=default"));
            Map<String, Double> cpuBefore = ProcessFigures.cpuMillis(pids);
            System.out.println("[profile] recording: " + job.describe(seconds));
            Load load = job.load(seconds);
            Map<String, Double> cpuAfter = ProcessFigures.cpuMillis(pids);
            Map<String, List<String[]>> hot = new LinkedHashMap<>();
            for (Map.Entry<String, Long> p : pids.entrySet()) {
                Path file = recordings.resolve(job.prefix() + p.getKey() + ".jfr").toAbsolutePath();
                jcmd(p.getValue(), "JFR.stop", "name=tollgate-profile", "filename=" + file);
                hot.put(p.getKey(), costs(file));
            }
            section = job.section(load, cpuBefore, cpuAfter, hot, recordings);
        }
        if (report != null) {
            System.setProperty("tollgate.benchmarks.file", report.toString());
            BenchmarkReport.write(purchaseClients > 0 ? "profile-purchases" : "profile", section);
        }
        System.out.println(section);
        platform.down();
        WorkFolders.deleteRecursively(work);
        System.exit(0);
    }

    /**
     * What each request of the recorded load did: a run (a trigger and its callback) or a purchase. {@code refused}:
     * triggers refused for overload (503, counted among the failures too). {@code drainSeconds}: how long after the last trigger the last callback arrived (about 0 when callbacks keep up; a
     * queue somewhere on the path otherwise).
     */
    record Load(LatencySample acks, long refused, int runs, int callbacks, double drainSeconds) {
    }

    /** The load profiled: warmed up, then recorded, with the same shape. */
    private interface Job {
        String describe(int seconds);

        /** The load before recording: what brings the JIT compilers of the processes it uses to a steady state. */
        void warmUp(int seconds) throws Exception;

        default String describeWarmUp(int seconds) {
            return describe(seconds);
        }

        Load load(int seconds) throws Exception;

        /** Before each recording's file name: runs keep the names they always had. */
        String prefix();

        String section(Load load, Map<String, Double> before, Map<String, Double> after,
                Map<String, List<String[]>> hot, Path recordings);
    }

    private record Runs(PlatformClient client, String user, String workflow, CallbackArrivals callbacks, int rate,
            int seconds, int warmUp) implements Job {
        public String describe(int s) {
            return rate + " triggers/s for " + s + " s";
        }

        @Override
        public String describeWarmUp(int s) {
            return "the first runs called back, then triggers ramped up to " + rate + "/s, " + s + " s in all";
        }

        /**
         * Ramped, as the other benchmarks warm up: offered at once to a platform just started, 100 triggers/s
         * queued faster than the cold JVMs served them, past the load generator's 60 s timeout, and the recording
         * then measured only failures (docs/benchmarks.md, "A cold platform at 100 runs/s").
         */
        public void warmUp(int s) throws Exception {
            if (s > 0) {
                PlatformBenchmark.warmUpRuns(client, user, workflow, callbacks, rate, Duration.ofSeconds(s),
                        Duration.ofMinutes(3));
            }
        }

        public Load load(int s) throws InterruptedException {
            Set<String> runs = ConcurrentHashMap.newKeySet();
            AtomicLong refused = new AtomicLong();
            LatencySample acks = LoadGenerator.fixedRate(rate, Duration.ofSeconds(s), () -> {
                PlatformClient.TriggerAnswer answer = client.triggerAnswer(user, workflow,
                        PlatformBenchmark.triggerBody(callbacks));
                if (answer.refused()) {
                    refused.incrementAndGet();
                }
                return answer.runId().map(runs::add).isPresent();
            });
            long offeringEnded = System.nanoTime();
            Map<String, Long> arrived = callbacks.await(runs, Duration.ofMinutes(2));
            long last = arrived.values().stream().mapToLong(Long::longValue).max().orElse(offeringEnded);
            return new Load(acks, refused.get(), runs.size(), arrived.size(), Math.max(0, (last - offeringEnded) / 1e9));
        }

        public String prefix() {
            return "";
        }

        public String section(Load load, Map<String, Double> before, Map<String, Double> after,
                Map<String, List<String[]>> hot, Path recordings) {
            return PlatformProfile.section(rate, seconds, warmUp, load, before, after, hot, recordings);
        }
    }

    private record Purchases(PlatformClient client, JsonNode stack, String user, int clients, int seconds,
            int warmUp) implements Job {
        public String describe(int s) {
            return "purchases from " + clients + " clients for " + s + " s";
        }

        /** The same load: a closed loop cannot queue more than its clients' requests. */
        public void warmUp(int s) throws Exception {
            load(s);
        }

        public Load load(int s) throws Exception {
            LatencySample answers = LoadGenerator.closedLoop(clients, Duration.ofSeconds(s),
                    () -> PlatformBenchmark.purchase(client, stack, user));
            int done = (int) (answers.requests() - answers.failures());
            return new Load(answers, 0, done, done, 0);
        }

        public String prefix() {
            return "purchases-";
        }

        public String section(Load load, Map<String, Double> before, Map<String, Double> after,
                Map<String, List<String[]>> hot, Path recordings) {
            StringBuilder s = new StringBuilder("## Where a purchase's CPU goes (JDK Flight Recorder)\n\n");
            s.append(String.format(Locale.ROOT, "Command: `bench/run profile --purchases %d --seconds %d%s`. Run on %s. "
                    + "The platform as `deploy/local/up` starts it (rate limits lifted), after " + warmUp + " s of the same load; "
                    + "every process recorded with JFR's `default` settings while %d clients bought the demo's priced "
                    + "tool (`POST /products/purchase`, built-in `text_stats`) back to back for %d s.%n%n", clients,
                    seconds, warmUpFlag(warmUp), BenchmarkReport.machine(), clients, seconds));
            s.append(String.format(Locale.ROOT, "%d purchases (%d failed), %.1f/s, p50 %.1f ms, p99 %.1f ms.%n%n",
                    load.acks().requests(), load.acks().failures(), load.acks().perSecond(), load.acks().p50Millis(),
                    load.acks().p99Millis()));
            s.append(costTables("purchase", load.runs(), before, after, hot, recordings, "purchases-"));
            return s.toString();
        }
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static void jcmd(long pid, String... command) {
        List<String> args = new ArrayList<>(List.of(tool("jcmd"), Long.toString(pid)));
        args.addAll(List.of(command));
        String output = run(args);
        if (!output.contains("Started recording") && !output.contains("Stopped recording")
                && !output.contains("written to")) {
            System.out.println("[profile] jcmd " + pid + " " + String.join(" ", command) + ": " + output.strip());
        }
    }

    /**
     * Where each execution sample was spent, inclusively: the innermost frame of Tollgate's own code on its stack
     * (what the service's code did, its libraries' work included), or, with no Tollgate frame (Kafka's threads, the
     * store's, an event loop), the library of the frame that was running. Ranked by samples.
     */
    private static List<String[]> costs(Path recording) {
        return costs(run(List.of(tool("jfr"), "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64",
                recording.toString())));
    }

    /** {@link #costs(Path)} from the text of {@code jfr print --events jdk.ExecutionSample}. */
    static List<String[]> costs(String executionSamples) {
        Map<String, Integer> samples = new LinkedHashMap<>();
        int total = 0;
        String leaf = null;
        String ours = null;
        boolean inStack = false;
        for (String line : executionSamples.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.equals("stackTrace = [")) {
                inStack = true;
                leaf = null;
                ours = null;
            } else if (inStack && trimmed.equals("]")) {
                inStack = false;
                String key = ours != null ? ours : "(no Tollgate frame) " + library(leaf);
                samples.merge(key, 1, Integer::sum);
                total++;
            } else if (inStack && !trimmed.equals("...")) {
                String frame = FRAME_ARGUMENTS.matcher(trimmed).replaceAll("");
                if (leaf == null) {
                    leaf = frame;
                }
                if (ours == null && frame.startsWith("dev.tollgate.")) {
                    ours = frame;
                }
            }
        }
        int all = Math.max(1, total);
        return samples.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(HOT_METHODS)
                .map(e -> new String[] {e.getKey(), e.getValue().toString(),
                        String.format(Locale.ROOT, "%.1f%%", 100.0 * e.getValue() / all)})
                .toList();
    }

    // "pkg.Class.method(Args) line: 12" -> "pkg.Class.method"
    private static final Pattern FRAME_ARGUMENTS = Pattern.compile("\\(.*$");

    /** The first three segments of a frame's package: {@code org.apache.kafka}, {@code io.netty.channel}. */
    private static String library(String frame) {
        if (frame == null) {
            return "(empty stack)";
        }
        String[] parts = frame.split("\\.");
        return String.join(".", List.of(parts).subList(0, Math.min(3, Math.max(1, parts.length - 2))));
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            process.waitFor(2, TimeUnit.MINUTES);
            return output;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    private static String warmUpFlag(int warmUp) {
        return warmUp == 15 ? "" : " --warm-up " + warmUp;
    }

    private static String section(int rate, int seconds, int warmUp, Load load, Map<String, Double> before,
            Map<String, Double> after, Map<String, List<String[]>> hot, Path recordings) {
        StringBuilder s = new StringBuilder();
        s.append("## Where a run's CPU goes (JDK Flight Recorder)\n\n");
        s.append(String.format(Locale.ROOT, "Command: `bench/run profile --rate %d --seconds %d%s`. Run on %s. "
                + "The platform as `deploy/local/up` starts it, on an empty store (rate limits lifted), after a " + warmUp + " s "
                + "warm-up (the first runs called back, then triggers ramped up to the same rate); every process recorded with JFR's `default` settings (low overhead: a stack sample per running thread every 20 ms) while triggers with a "
                + "request id, metadata and a loopback callback arrived at %d/s for %d s.%n%n", rate, seconds,
                warmUpFlag(warmUp), BenchmarkReport.machine(), rate, seconds));
        s.append(String.format(Locale.ROOT, "%d triggers (%d failed, of which %d refused for overload), ack p50 "
                + "%.1f ms, p99 %.1f ms; %d of %d callbacks arrived, the last %.1f s after the last trigger.%n%n",
                load.acks().requests(), load.acks().failures(), load.refused(), load.acks().p50Millis(),
                load.acks().p99Millis(), load.callbacks(), load.runs(), load.drainSeconds()));
        s.append(costTables("run", load.runs(), before, after, hot, recordings, ""));
        return s.toString();
    }

    /** CPU ms per unit of work per process, then each process's hottest methods. */
    private static String costTables(String unit, int count, Map<String, Double> before, Map<String, Double> after,
            Map<String, List<String[]>> hot, Path recordings, String prefix) {
        StringBuilder s = new StringBuilder();
        s.append("| process | CPU ms per ").append(unit).append(" |\n|---|---|\n");
        double total = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            double perUnit = (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) / Math.max(1, count);
            total += perUnit;
            s.append(String.format(Locale.ROOT, "| %s | %.1f |%n", e.getKey(), perUnit));
        }
        s.append(String.format(Locale.ROOT, "| all | %.1f |%n%n", total));
        s.append("Where each process's execution samples were spent (JFR, inclusive): the innermost frame of "
                + "Tollgate's own code on the sampled stack, libraries it called included, or, for samples with no "
                + "Tollgate frame (Kafka's and the store's threads, event loops), the library that was running. "
                + "Recordings: `" + recordings.getFileName() + "/" + prefix + "<process>.jfr` (`jfr view hot-methods`, JDK "
                + "Mission Control).\n\n");
        for (Map.Entry<String, List<String[]>> e : hot.entrySet()) {
            s.append("| ").append(e.getKey()).append(" | samples | share |\n|---|---|---|\n");
            e.getValue().forEach(row -> s.append("| `").append(row[0]).append("` | ").append(row[1]).append(" | ")
                    .append(row[2]).append(" |\n"));
            s.append('\n');
        }
        return s.toString();
    }
}
