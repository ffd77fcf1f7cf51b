package dev.tollgate.localstack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The two summaries every harness prints: a median over rounds and a nearest-rank percentile. */
class BenchmarkReportTest {

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwoNotTheUpperOne() {
        assertEquals(3.0, BenchmarkReport.median(List.of(5.0, 1.0, 3.0)), 1e-9);
        assertEquals(15.0, BenchmarkReport.median(List.of(20.0, 10.0)), 1e-9);
        assertEquals(2.5, BenchmarkReport.median(List.of(4.0, 1.0, 2.0, 3.0)), 1e-9);
        assertEquals(0.0, BenchmarkReport.median(List.of()), "no rounds print 0, as an empty percentile does");
    }

    @Test
    void aPercentileIsTheNearestRankOfTheSortedSample() {
        List<Long> sorted = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertEquals(5L, BenchmarkReport.percentile(sorted, 50));
        assertEquals(10L, BenchmarkReport.percentile(sorted, 99));
        assertEquals(1L, BenchmarkReport.percentile(sorted, 0));
        assertEquals(0L, BenchmarkReport.percentile(List.of(), 99));
    }
}
