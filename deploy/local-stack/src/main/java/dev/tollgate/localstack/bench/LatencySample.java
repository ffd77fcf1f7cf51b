package dev.tollgate.localstack.bench;

import java.util.List;

import dev.tollgate.localstack.testing.BenchmarkReport;

/** What one load phase measured: every latency (sorted), how many requests, how many failed, and how long it took. */
public record LatencySample(List<Long> sortedNanos, long requests, long failures, double seconds) {

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
