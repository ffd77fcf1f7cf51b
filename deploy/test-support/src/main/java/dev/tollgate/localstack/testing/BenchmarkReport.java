package dev.tollgate.localstack.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Shared by the benchmark harnesses: the machine a figure was measured on, percentiles, and writing one harness's
 * section of {@code docs/benchmarks.md} between its markers (other sections are left as they are).
 */
public final class BenchmarkReport {

    private BenchmarkReport() {
    }

    public static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException ignored) {
            // not Linux: leave it unknown
        }
        long memGiB = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() >> 30;
        return String.format(Locale.ROOT, "%s, %d cores, %d GiB, %s %s, Java %s, %s", cpu,
                Runtime.getRuntime().availableProcessors(), memGiB, System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("java.version"),
                Instant.now().toString().substring(0, 10));
    }

    /** The p-th percentile (nearest rank) of sorted values. */
    public static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
    }

    /**
     * The median: the middle value, or the mean of the middle two of an even count (an upper middle would let one
     * of two rounds decide), and 0 for no values, as {@link #percentile} prints an empty sample.
     */
    public static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return 0;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** Replaces (or appends) the section between {@code <!-- name:begin -->} and {@code <!-- name:end -->}. */
    public static void write(String name, String section) throws IOException {
        Path file = Path.of(System.getProperty("tollgate.benchmarks.file", "../docs/benchmarks.md"));
        String begin = "<!-- " + name + ":begin -->";
        String end = "<!-- " + name + ":end -->";
        String content = Files.exists(file) ? Files.readString(file)
                : "# Benchmarks\n\nEach section is written by its harness; the command that produced it is in the section.\n\n";
        String block = begin + "\n" + section + end;
        int b = content.indexOf(begin);
        int e = content.indexOf(end);
        content = b >= 0 && e > b ? content.substring(0, b) + block + content.substring(e + end.length())
                : content + "\n" + block + "\n";
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, content);
    }
}
