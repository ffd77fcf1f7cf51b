package dev.tollgate.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

/** How {@code bench/run runpath} turns figures into ratios and verdicts against issue 15's targets. */
class RunPathReportTest {

    @Test
    void ratiosAreTollgateOverPeerAndEachTargetIsJudgedOnTollgate() {
        RunPathFigures.Side tollgate = side("Tollgate", 20, 25, 450, 440, 6.5,
                Optional.of(purchases(320, 90, 300, 300)), Map.of("local-stack", 240.0, "worker", 200.0));
        RunPathFigures.Side peer = side("peer", 5, 10, 900, 1800, 1.3, Optional.empty(),
                Map.of("redis", 20.0, "api", 60.0, "worker", 80.0));

        HistorySeeder.Seeded seeded = new HistorySeeder.Seeded(HistorySeeder.Counts.ISSUE, 1_000_000, 1_050_000,
                100_000, 1_000, 2_301_000, 160);
        PlatformFigures.Seeding history = new PlatformFigures.Seeding(seeded, 300, 5300,
                new HistorySeeder.Compacted(5000L << 20, 4000L << 20, 120), 4100);

        String md = RunPathReport.section(new RunPathFigures(tollgate, peer, Optional.of(history)), RunPathPlan.FULL,
                "bench/run runpath", "a machine");

        assertTrue(md.contains("### Tollgate's store: 1,000,000 runs of history\n\n`HistorySeeder`"), md);
        assertTrue(md.contains("started again on that data folder"), md);
        assertEquals(List.of("20.0", "5.0", "4.00", "<= 30", "pass"), figure(md, "trigger ack p99 ms at 200/s"));
        assertEquals(List.of("25.0", "10.0", "2.50", "<= 30", "pass"), figure(md,
                "trigger to callback p95 ms at 200/s"));
        assertEquals(List.of("450.0", "900.0", "0.50", ">= 400", "pass"), figure(md,
                "runs/s at saturation, one worker"));
        // 440 is within 5 % of 450: no drop.
        assertEquals("pass", figure(md, "runs/s at saturation, two workers").get(4));
        assertEquals(List.of("6.50", "1.30", "5.00", "<= 8", "pass"), figure(md,
                "CPU ms per run, all processes, at 100/s"));
        assertEquals(List.of("320.0", "n/a", "n/a", ">= 300", "pass"), figure(md, "purchases/s, 16 clients"));
        assertEquals(List.of("0", "n/a", "n/a", "0 (charged exactly)", "pass"),
                figure(md, "credits charged minus price x purchases"));
        assertEquals(List.of("200", "200", "n/a", "every run's, once", "pass"),
                figure(md, "callbacks received at 200/s"));
        assertEquals(List.of("200", "80", "2.50", "<= 250 each", "pass"),
                figure(md, "RSS after the load, largest service, MiB"));
        assertTrue(md.contains("| Tollgate process |") && md.contains("| peer process |"), md);
        assertFalse(md.contains("The peer kept up"), "both were saturated (a backlog at the end): " + md);
    }

    @Test
    void aDropWithASecondWorkerAMissedCallbackAMischargeAndABigProcessFail() {
        RunPathFigures.Side tollgate = side("Tollgate", 20, 25, 450, 400, 6.5,
                Optional.of(purchases(320, 90, 300, 295)), Map.of("local-stack", 600.0, "worker", 260.0));
        RunPathFigures.Side peer = side("peer", 5, 10, 900, 1800, 1.3, Optional.empty(), Map.of("worker", 80.0));
        tollgate = new RunPathFigures.Side(tollgate.name(), tollgate.cpu(), latency(20, 25, 199), tollgate.oneWorker(),
                tollgate.twoWorkers(), tollgate.purchases(), tollgate.memory());

        String md = RunPathReport.section(new RunPathFigures(tollgate, peer, Optional.empty()), RunPathPlan.FULL,
                "bench/run runpath", "a machine");

        // without a history, the report says its figures do not show what one costs
        assertTrue(md.contains("### Tollgate's store: empty\n\nNothing was seeded"), md);
        assertEquals("FAIL", figure(md, "runs/s at saturation, two workers").get(4));
        assertEquals("FAIL", figure(md, "callbacks received at 200/s").get(4));
        assertEquals(List.of("5", "FAIL"), List.of(figure(md, "credits charged minus price x purchases").get(0),
                figure(md, "credits charged minus price x purchases").get(4)));
        assertEquals("FAIL", figure(md, "RSS after the load, largest service, MiB").get(4));
        assertEquals(List.of("worker", "6.50", "1.63", "260", "260", "FAIL"), rowOf(md, "| Tollgate process |",
                "worker"));
        assertEquals("1.63", figure(md, "of which JIT compiler threads (JVMs still warming up)").get(0));
        // the local stack stands in for Kafka and the store: the bound is per service
        assertEquals(List.of("local-stack", "-", "-", "600", "600", "- (not a service)"), rowOf(md,
                "| Tollgate process |", "local-stack"));
    }

    private static RunPathFigures.Side side(String name, double ackP99, double callbackP95, double oneWorker,
            double twoWorkers, double cpuMsPerRun, Optional<PlatformFigures.Purchases> purchases,
            Map<String, Double> rssMiB) {
        Map<String, Optional<ProcessFigures.Memory>> memory = new LinkedHashMap<>();
        rssMiB.forEach((process, mib) -> memory.put(process, Optional.of(new ProcessFigures.Memory(mib, mib))));
        RunPathFigures.Cpu cpu = new RunPathFigures.Cpu(100, 3000, 3000, 0, Map.of("worker", cpuMsPerRun),
                Map.of("worker", cpuMsPerRun / 4));
        PlatformFigures.CallbackLatency latency = latency(ackP99, callbackP95, 200);
        return new RunPathFigures.Side(name, cpu, latency, saturation(1, oneWorker), saturation(2, twoWorkers),
                purchases, memory);
    }

    /** 200 runs, {@code delivered} of them called back; every ack {@code ackMs}, every callback {@code toCallbackMs}. */
    private static PlatformFigures.CallbackLatency latency(double ackMs, double toCallbackMs, int delivered) {
        LatencySample acks = same(ackMs, 200, 0);
        LatencySample fromAccepted = same(toCallbackMs, delivered, 200 - delivered);
        return new PlatformFigures.CallbackLatency(200, 200, delivered, 0, fromAccepted, fromAccepted, acks, Set.of());
    }

    private static RunPathFigures.Saturation saturation(int workers, double runsPerSecond) {
        int inWindow = (int) Math.round(runsPerSecond * 15);
        return new RunPathFigures.Saturation(workers, 600, 12_000, 9_000, 0, 0, 0, 12.5, 15, inWindow, runsPerSecond, 5_000,
                9_000, 3.0);
    }

    private static PlatformFigures.Purchases purchases(double perSecond, double p99Ms, long charged, long expected) {
        long n = Math.round(perSecond * 20);
        LatencySample sample = new LatencySample(LongStream.range(0, n).map(i -> (long) (p99Ms * 1e6)).boxed()
                .toList(), n, 0, 20);
        return new PlatformFigures.Purchases(16, sample, charged, expected);
    }

    private static LatencySample same(double millis, int n, long failures) {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nanos.add((long) (millis * 1e6));
        }
        return new LatencySample(nanos, n + failures, failures, 1);
    }

    /** The cells after the figure's name in the figures table. */
    private static List<String> figure(String md, String name) {
        List<String> row = rowOf(md, "| figure |", name);
        return row.subList(1, row.size());
    }

    private static List<String> rowOf(String md, String header, String first) {
        List<String> lines = md.lines().toList();
        int at = lines.indexOf(lines.stream().filter(l -> l.startsWith(header)).findFirst().orElseThrow());
        for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i);
            List<String> cells = Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::strip)
                    .toList();
            if (cells.get(0).equals(first)) {
                return cells;
            }
        }
        throw new AssertionError("no row " + first + " under " + header + " in:\n" + md);
    }
}
