package dev.tollgate.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

/** The comparison's summary: each side's median pass per figure, and B over A. */
class SettingsComparisonTest {

    /** A pass whose every answer and callback took {@code millis}, costing {@code cpu} ms per run in the local stack. */
    private static FixedRatePass pass(long millis, double cpu) {
        List<Long> nanos = LongStream.range(0, 100).mapToObj(i -> millis * 1_000_000).toList();
        LatencySample sample = new LatencySample(nanos, 100, 0, 0);
        return new FixedRatePass(sample, sample, Map.of("local-stack", cpu, "gateway", 1.0));
    }

    @Test
    void theMedianPassIsWhatASideReportsNotTheMean() {
        List<FixedRatePass> passes = List.of(pass(10, 2), pass(500, 9), pass(20, 3));
        assertEquals(20.0, SettingsComparison.median(passes, p -> p.acks().p99Millis()), 0.01,
                "one slow pass does not move the median");
        assertEquals(15.0, SettingsComparison.median(List.of(pass(10, 2), pass(20, 3)), p -> p.acks().p99Millis()), 0.01,
                "an even count: the mean of the middle two");
        assertEquals(0.0, SettingsComparison.median(List.of(), p -> 1.0));
    }

    @Test
    void theSummaryPrintsBothMediansAndTheirRatio() {
        String summary = SettingsComparison.summary(List.of(pass(10, 2), pass(30, 2.5), pass(20, 3)),
                List.of(pass(5, 1), pass(15, 1.5), pass(10, 1)));
        assertTrue(summary.contains("| trigger ack p99 ms | 20.00 | 10.00 | 0.50 |"), summary);
        assertTrue(summary.contains("| CPU ms per run, local stack | 2.50 | 1.00 | 0.40 |"), summary);
        assertTrue(summary.contains("| CPU ms per run, all processes | 3.50 | 2.00 | 0.57 |"), summary);
        assertTrue(summary.contains("median of 3 and 3 passes"), summary);
    }
}
