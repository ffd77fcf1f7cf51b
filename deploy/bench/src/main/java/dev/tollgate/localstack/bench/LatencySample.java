package dev.tollgate.localstack.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tollgate.localstack.testing.BenchmarkReport;

/** What one load phase measured: every latency (sorted), how many requests, how many failed, and how long it took. */
public record LatencySample(List<Long> sortedNanos, long requests, long failures, double seconds) {

    /**
     * For each run that has both, the time from {@code start} to {@code end} (nanoTime stamps by run id); a run
     * without an end counts as a failure.
     */
    public static LatencySample between(Map<String, Long> start, Map<String, Long> end) {
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

    public double p50Millis() {
        return BenchmarkReport.millis(BenchmarkReport.percentile(sortedNanos, 50));
    }

    public double p95Millis() {
        return BenchmarkReport.millis(BenchmarkReport.percentile(sortedNanos, 95));
    }

    public double p99Millis() {
        return BenchmarkReport.millis(BenchmarkReport.percentile(sortedNanos, 99));
    }

    public double maxMillis() {
        return sortedNanos.isEmpty() ? 0 : BenchmarkReport.millis(sortedNanos.getLast());
    }

    public double perSecond() {
        return seconds <= 0 ? 0 : (requests - failures) / seconds;
    }
}
