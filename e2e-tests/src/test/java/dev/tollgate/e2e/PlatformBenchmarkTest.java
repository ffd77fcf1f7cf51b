package dev.tollgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform benchmark's one command ({@code bench/run platform}) with its quick plan: it starts the platform
 * itself, drives every phase through the gateway on the empty store, seeds a small history straight into the store,
 * restarts the platform on it and drives every phase again, adds a second worker in each pass, stops everything and
 * writes a complete report with both passes side by side. The figures are not judged (speed is for
 * docs/benchmarks.md), but what must hold under any load is: every run completes, every callback arrives once,
 * purchases are charged exactly, the history is really in the store (its folder grew, the seeder wrote what it was
 * asked), every side-by-side figure has both values, and nothing is left running.
 */
class PlatformBenchmarkTest {

    static final Path ROOT = Path.of(System.getProperty("tollgate.root", "..")).toAbsolutePath().normalize();
    static final List<String> STORES = List.of("empty", "with history");

    @TempDir
    Path workDir;

    @Test
    void oneCommandProducesACompleteReportAndLeavesNothingRunning() throws Exception {
        BenchCommand bench = BenchCommand.run(ROOT, workDir, Duration.ofMinutes(15),
                List.of("bench/run", "platform", "--quick"));
        String log = bench.log();
        String md = bench.report();
        assertTrue(md.contains("<!-- platform:begin -->") && md.contains("<!-- platform:end -->"), md);
        assertTrue(md.contains("Command: `bench/run platform --quick`. Run on "), "names the command and machine");

        // The quick plan's history: 0.002 of the 1,000,000 runs, 100,000 orders and ledger transactions.
        Matcher seeded = Pattern.compile("wrote ([0-9,]+) runs, ([0-9,]+) deliveries \\(([0-9,]+) attempts\\), "
                + "([0-9,]+) orders, ([0-9,]+) ledger transactions").matcher(md);
        assertTrue(seeded.find(), md);
        assertEquals(List.of(2000L, 2000L, 200L, 200L), List.of(count(seeded.group(1)), count(seeded.group(2)),
                count(seeded.group(4)), count(seeded.group(5))), "the history the quick plan asks for");
        assertTrue(count(seeded.group(3)) >= 2000, "at least one attempt per delivery");
        Matcher grew = Pattern.compile("The store's folder grew from ([0-9]+) MiB to ([0-9]+) MiB").matcher(md);
        assertTrue(grew.find(), md);
        assertTrue(Long.parseLong(grew.group(2)) > Long.parseLong(grew.group(1)), "the history is in the store");
        Matcher compacted = Pattern.compile("in [0-9.]+ s, to ([0-9]+) MiB").matcher(md);
        assertTrue(compacted.find(), "the store compacted its file after seeding: " + md);
        assertTrue(Long.parseLong(compacted.group(1)) <= Long.parseLong(grew.group(2)), "compacting never grows it");

        List<List<String>> slope = table(md, "| figure |");
        assertEquals(List.of("figure", "empty", "with history", "with history / empty"), header(md, "| figure |"));
        for (String figure : List.of("`deploy/local/up --detach`, s", "trigger ack p50 ms at 5/s",
                "trigger ack p99 ms at 10/s", "trigger to callback p95 ms at 5/s (from accepted)", "runs/s, one worker",
                "runs/s, 2 workers", "CPU ms per run, all processes, one worker", "purchases/s, 4 clients",
                "idle CPU, all processes, % of one core", "of which JIT compiler threads, % of one core",
                "idle documents examined per second, all databases",
                "waiting status read, answered after the run's end, p95 ms", "waiting status reads per run",
                "tenant B trigger to callback p95 ms at 10/s, alone",
                "tenant B trigger to callback p95 ms while tenant A floods 100 runs", "tenant A runs/s flooding alone",
                "tenant A runs/s flooding beside tenant B")) {
            List<String> row = slope.stream().filter(r -> r.get(0).equals(figure)).findFirst()
                    .orElseThrow(() -> new AssertionError("no row " + figure + " in:\n" + md));
            assertTrue(Double.parseDouble(row.get(1)) >= 0 && Double.parseDouble(row.get(2)) >= 0, "both: " + row);
        }
        // Tenant B's refusals during the flood are counted, "N of M" both ways (a fair platform refuses B none).
        List<String> refused = slope.stream().filter(r -> r.get(0).startsWith("tenant B triggers refused while"))
                .findFirst().orElseThrow(() -> new AssertionError("no row of B's refusals in:\n" + md));
        for (String pass : refused.subList(1, 3)) {
            assertTrue(pass.matches("\\d+ of [1-9]\\d*"), "B sent triggers and their refusals are counted: " + refused);
        }
        for (String positive : List.of("`deploy/local/up --detach`, s", "runs/s, one worker",
                "CPU ms per run, all processes, one worker")) {
            List<String> row = slope.stream().filter(r -> r.get(0).equals(positive)).findFirst().orElseThrow();
            assertTrue(Double.parseDouble(row.get(1)) > 0 && Double.parseDouble(row.get(2)) > 0, "measured: " + row);
        }

        // The compilers' share is part of the idle figure, never more than it.
        List<String> idle = slope.stream().filter(r -> r.get(0).startsWith("idle CPU")).findFirst().orElseThrow();
        List<String> jit = slope.stream().filter(r -> r.get(0).startsWith("of which JIT")).findFirst().orElseThrow();
        for (int column = 1; column <= 2; column++) {
            assertTrue(Double.parseDouble(jit.get(column)) <= Double.parseDouble(idle.get(column)),
                    "JIT within idle: " + jit + " / " + idle);
        }

        // What the store's sweeps read while nothing happens, per service database, from its own counter.
        List<List<String>> examined = table(md, "| database |");
        assertEquals(List.of("tollgate-workflow", "tollgate-callbacks", "tollgate-catalog", "tollgate-credits"),
                examined.stream().map(r -> r.get(0)).toList());
        examined.forEach(r -> assertTrue(Double.parseDouble(r.get(1)) >= 0 && Double.parseDouble(r.get(2)) >= 0,
                "both passes: " + r));

        List<List<String>> processes = table(md, "| process |");
        assertEquals(List.of("local-stack", "credits", "catalog", "workflow", "callback", "worker", "gateway",
                "worker-2"), processes.stream().map(r -> r.get(0)).toList());
        for (List<String> p : processes) {
            if (!p.get(0).equals("local-stack")) {
                assertTrue(Double.parseDouble(p.get(1)) > 0 && Double.parseDouble(p.get(2)) > 0,
                        "a start time in both passes for " + p);
            }
            assertTrue(Double.parseDouble(p.get(3)) > 0 && Double.parseDouble(p.get(4)) > 0,
                    "memory after the load in both passes for " + p);
            if (!p.get(0).equals("worker-2")) { // started after the CPU-per-run and idle phases
                for (int column = 5; column <= 8; column++) {
                    assertTrue(Double.parseDouble(p.get(column)) >= 0, "CPU figures for " + p);
                }
            }
        }
        assertTrue(processes.stream().filter(p -> p.get(0).equals("worker") || p.get(0).equals("local-stack"))
                .allMatch(p -> Double.parseDouble(p.get(5)) > 0 && Double.parseDouble(p.get(6)) > 0),
                "the worker and the store spend CPU on runs: " + processes);

        List<List<String>> acks = table(md, "| store | offered |");
        assertEquals(List.of("empty 5/s", "empty 10/s", "with history 5/s", "with history 10/s"),
                acks.stream().map(r -> r.get(0) + " " + r.get(1)).toList());
        acks.forEach(r -> assertEquals("0", r.get(5), "no trigger failed: " + r));

        List<List<String>> callbacks = table(md, "| store | runs | callbacks received |");
        assertEquals(STORES, callbacks.stream().map(r -> r.get(0)).toList());
        for (List<String> c : callbacks) {
            assertEquals(c.get(1), c.get(2), "every run's callback arrived: " + c);
            assertEquals("0", c.get(3), "and only once");
        }

        List<List<String>> saturation = table(md, "| store | workers |");
        assertEquals(List.of("empty 1", "empty 2", "with history 1", "with history 2"),
                saturation.stream().map(r -> r.get(0) + " " + r.get(1)).toList());
        saturation.forEach(r -> assertEquals(r.get(2), r.get(3), "every run completed: " + r));
        saturation.forEach(r -> assertEquals(r.get(2), r.get(4), "and was called back: " + r));

        List<List<String>> purchases = table(md, "| store | purchases/s |");
        assertEquals(STORES, purchases.stream().map(r -> r.get(0)).toList());
        for (List<String> p : purchases) {
            assertEquals("0", p.get(4), "no purchase failed");
            assertEquals(p.get(6), p.get(5), "charged exactly price x purchases");
            assertTrue(Long.parseLong(p.get(5)) > 0, "some purchases were made");
        }

        assertEquals(4, table(md, "| clients | path |").size(), "direct and gateway, one client and several");
        assertTrue(log.contains("[bench] adding a second worker"), log);
        assertTrue(log.contains("[bench] restarting the platform on the seeded data folder"), log);
        Matcher started = Pattern.compile("starting the platform in (\\S+)").matcher(log);
        assertTrue(started.find(), log);
        String platformDir = started.group(1);
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains(platformDir)),
                "the benchmark's local stack is stopped");
        assertTrue(Files.notExists(Path.of(platformDir)), "and its folder removed after a successful run");
    }

    private static long count(String withCommas) {
        return Long.parseLong(withCommas.replace(",", ""));
    }

    /** The header cells of the markdown table whose header starts with {@code header}. */
    private static List<String> header(String md, String header) {
        String line = md.lines().filter(l -> l.startsWith(header)).findFirst().orElseThrow();
        return Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::strip).toList();
    }

    /** The data rows of the markdown table whose header starts with {@code header}. */
    private static List<List<String>> table(String md, String header) {
        List<String> lines = md.lines().toList();
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(header)) {
                at = i;
                break;
            }
        }
        assertTrue(at >= 0, "no table " + header + " in:\n" + md);
        List<List<String>> rows = new ArrayList<>();
        for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i);
            rows.add(Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::strip).toList());
        }
        return rows;
    }
}
