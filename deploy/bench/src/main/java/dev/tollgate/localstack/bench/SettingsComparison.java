package dev.tollgate.localstack.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.tollgate.localstack.launcher.LocalPlatform;
import dev.tollgate.localstack.testing.BenchmarkReport;

/**
 * {@code bench/run compare}: two settings of the platform side by side, alternating in one run, so that a change
 * smaller than this machine's drift between runs can still be seen. Each side is an environment the launcher reads
 * ({@code TOLLGATE_LOCAL_STACK_JVM_OPTS}, {@code TOLLGATE_SERVICE_JVM_OPTS}, any service setting); each round starts
 * the platform fresh with one side, runs a {@link FixedRatePass} and stops it, in the order A B, B A, A B, ... so
 * that drift falls on both sides alike. Prints every pass and each side's median per figure with the B/A ratio;
 * writes nothing. Loopback only; bounded by the rounds and a watchdog.
 */
public final class SettingsComparison {

    private SettingsComparison() {
    }

    /** A figure of one pass, as the summary prints it. */
    private record Figure(String name, ToDoubleFunction<FixedRatePass> value) {
    }

    private static final List<Figure> FIGURES = List.of(
            new Figure("trigger ack p50 ms", p -> p.acks().p50Millis()),
            new Figure("trigger ack p99 ms", p -> p.acks().p99Millis()),
            new Figure("trigger to callback p50 ms", p -> p.toCallback().p50Millis()),
            new Figure("trigger to callback p95 ms", p -> p.toCallback().p95Millis()),
            new Figure("trigger to callback p99 ms", p -> p.toCallback().p99Millis()),
            new Figure("CPU ms per run, all processes", FixedRatePass::cpuMillisPerRunAll),
            new Figure("CPU ms per run, local stack", p -> p.cpuMillisPerRun().getOrDefault("local-stack", 0.0)));

    /**
     * {@code --a KEY=VALUE} and {@code --b KEY=VALUE} (repeatable: each side's environment; a side without any runs
     * the defaults), {@code --rounds N} (3: each side N passes), {@code --rate N} (200), {@code --seconds N} (60),
     * {@code --warmup-seconds N} (150), {@code --root DIR}.
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(".");
        Map<String, String> a = new LinkedHashMap<>();
        Map<String, String> b = new LinkedHashMap<>();
        int rounds = 3;
        int rate = 200;
        int seconds = 60;
        int warmupSeconds = 150;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--a" -> put(a, args[++i]);
                case "--b" -> put(b, args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[++i]);
                default -> usage();
            }
        }
        if (rounds < 1 || rounds > 10 || rate < 1 || rate > 400 || seconds < 1 || seconds > 600 || warmupSeconds < 0
                || warmupSeconds > 600) {
            usage();
        }
        System.out.println(BenchmarkReport.machine());
        System.out.println("A: " + a + "\nB: " + b);
        Path work = Files.createTempDirectory("tollgate-compare-");
        PlatformBenchmark.stopAfter(Duration.ofSeconds(rounds * 2L * (warmupSeconds + seconds + 360)),
                "the settings comparison");
        List<FixedRatePass> passesA = new ArrayList<>();
        List<FixedRatePass> passesB = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            boolean aFirst = round % 2 == 0;
            for (int side = 0; side < 2; side++) {
                boolean isA = (side == 0) == aFirst;
                String name = (isA ? "A" : "B") + (round + 1);
                Map<String, String> environment = new LinkedHashMap<>(PlatformBenchmark.LIFTED_RATE_LIMITS);
                environment.putAll(isA ? a : b);
                LocalPlatform platform = new LocalPlatform(root, work.resolve(name), environment);
                Thread stop = new Thread(platform::down);
                Runtime.getRuntime().addShutdownHook(stop);
                PlatformBenchmark.up(platform);
                FixedRatePass pass = FixedRatePass.run(platform, Duration.ofSeconds(warmupSeconds), rate,
                        Duration.ofSeconds(seconds), FixedRatePass.Window.NONE);
                platform.down();
                Runtime.getRuntime().removeShutdownHook(stop);
                (isA ? passesA : passesB).add(pass);
                System.out.println(line(name, pass));
            }
        }
        System.out.println(summary(passesA, passesB));
        WorkFolders.deleteRecursively(work);
        System.exit(0);
    }

    private static void put(Map<String, String> side, String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq < 1) {
            usage();
        }
        side.put(keyValue.substring(0, eq), keyValue.substring(eq + 1));
    }

    private static void usage() {
        System.err.println("usage: bench/run compare [--a KEY=VALUE]... [--b KEY=VALUE]... [--rounds N] [--rate N] "
                + "[--seconds N] [--warmup-seconds N]");
        System.exit(2);
    }

    static String line(String name, FixedRatePass pass) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "[%s] %d runs, %d called back:", name,
                pass.acks().requests(), pass.toCallback().sortedNanos().size()));
        for (Figure f : FIGURES) {
            s.append(String.format(Locale.ROOT, " %s %.2f;", f.name(), f.value().applyAsDouble(pass)));
        }
        // Per process, so that a setting's effect can be told from another process's noise.
        s.append(" CPU ms per run by process:");
        pass.cpuMillisPerRun().forEach((process, millis) ->
                s.append(String.format(Locale.ROOT, " %s %.2f", process, millis)));
        return s.toString();
    }

    /** Each side's median per figure over its passes, and B's median over A's. */
    static String summary(List<FixedRatePass> a, List<FixedRatePass> b) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "| figure (median of %d and %d passes) | A | B | B / A |%n|---|---|---|---|%n", a.size(), b.size()));
        for (Figure f : FIGURES) {
            double medianA = median(a, f.value());
            double medianB = median(b, f.value());
            s.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %s |%n", f.name(), medianA, medianB,
                    medianA == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", medianB / medianA)));
        }
        return s.toString();
    }

    static double median(List<FixedRatePass> passes, ToDoubleFunction<FixedRatePass> value) {
        return BenchmarkReport.median(passes.stream().map(value::applyAsDouble).toList());
    }
}
