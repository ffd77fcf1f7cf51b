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
 * The run-path benchmark's one command ({@code bench/run runpath --quick}): it starts Tollgate itself, seeds a small
 * history into its store and starts it again on that folder, runs every
 * phase through the gateway (adding a worker on the way), stops it, starts the BullMQ + Redis peer from
 * {@code bench/peers/bullmq} (installing its npm packages when missing), runs the same phases against it, stops it,
 * and writes a report with every figure, its Tollgate/peer ratio and the targets. The figures are not
 * judged (speed is for docs/benchmarks.md); what must hold under any load is: both systems ran every phase, every
 * run of the latency phase was called back once on both, purchases were charged exactly, every row and ratio is
 * there, and neither system is left running.
 */
class RunPathBenchmarkTest {

    static final Path ROOT = Path.of(System.getProperty("tollgate.root", "..")).toAbsolutePath().normalize();
    static final Pattern PROCESSES = Pattern.compile("(Tollgate|peer) processes \\(stopped next\\): \\{([^}]*)}");

    @TempDir
    Path workDir;

    @Test
    void oneCommandMeasuresTollgateAndItsPeerAndLeavesNothingRunning() throws Exception {
        BenchCommand bench = BenchCommand.run(ROOT, workDir, Duration.ofMinutes(12),
                List.of("bench/run", "runpath", "--quick"));
        String log = bench.log();
        String md = bench.report();
        assertTrue(md.contains("<!-- runpath:begin -->") && md.contains("<!-- runpath:end -->"), md);
        assertTrue(md.contains("Command: `bench/run runpath --quick`. Run on "), "names the command and machine");
        // Tollgate runs on a seeded history (the quick plan's few thousand documents), restarted on that folder.
        assertTrue(md.contains("### Tollgate's store: 2,000 runs of history"), md);
        int restarted = log.indexOf("restarting Tollgate on the seeded data folder");
        assertTrue(restarted >= 0 && restarted < log.indexOf("Tollgate: warm-up"), log);

        List<List<String>> figures = table(md, "| figure |");
        assertEquals(List.of("figure", "Tollgate", "peer", "Tollgate / peer", "target", "Tollgate meets it"),
                header(md, "| figure |"));
        // The quick plan: CPU at 10/s, latency at 20/s, purchases from 2 clients.
        for (String figure : List.of("trigger ack p50 ms at 20/s", "trigger ack p99 ms at 20/s",
                "trigger to callback p50 ms at 20/s", "trigger to callback p95 ms at 20/s",
                "runs/s at saturation, one worker", "runs/s at saturation, two workers",
                "CPU ms per run, all processes, at 10/s", "RSS after the load, largest service, MiB",
                "RSS after the load, all processes, MiB")) {
            List<String> row = row(figures, figure, md);
            double tollgate = Double.parseDouble(row.get(1));
            double peer = Double.parseDouble(row.get(2));
            assertTrue(tollgate > 0 && peer > 0, "both systems measured: " + row);
            // Within what rounding both printed figures allows.
            double slack = tollgate / peer * (halfUnit(row.get(1)) / tollgate + halfUnit(row.get(2)) / peer) + 0.01;
            assertEquals(tollgate / peer, Double.parseDouble(row.get(3)), slack, "the ratio is Tollgate / peer: " + row);
        }
        for (String targeted : List.of("callbacks received at 20/s", "trigger ack p99 ms at 20/s",
                "trigger to callback p95 ms at 20/s", "runs/s at saturation, one worker",
                "runs/s at saturation, two workers", "CPU ms per run, all processes, at 10/s", "purchases/s, 2 clients",
                "purchase p99 ms, 2 clients", "credits charged minus price x purchases",
                "RSS after the load, largest service, MiB")) {
            assertTrue(List.of("pass", "FAIL").contains(row(figures, targeted, md).get(5)), "a verdict: " + targeted);
        }
        List<String> triggered = row(figures, "runs triggered at 20/s", md);
        List<String> called = row(figures, "callbacks received at 20/s", md);
        assertEquals(triggered.subList(1, 3), called.subList(1, 3), "every run's callback arrived, on both");
        assertEquals("pass", called.get(5), "once each, with no failed trigger: " + called);
        for (String tollgateOnly : List.of("purchases/s, 2 clients", "purchase p99 ms, 2 clients")) {
            List<String> row = row(figures, tollgateOnly, md);
            assertTrue(Double.parseDouble(row.get(1)) > 0, "purchases measured: " + row);
            assertEquals(List.of("n/a", "n/a"), row.subList(2, 4), "the peer sells nothing: " + row);
        }
        List<String> charged = row(figures, "credits charged minus price x purchases", md);
        assertEquals(List.of("0", "pass"), List.of(charged.get(1), charged.get(5)), "charged exactly: " + charged);

        List<List<String>> tollgate = table(md, "| Tollgate process |");
        assertEquals(List.of("local-stack", "credits", "catalog", "workflow", "callback", "worker", "gateway",
                "worker-2", "all"), tollgate.stream().map(r -> r.get(0)).toList());
        List<List<String>> peer = table(md, "| peer process |");
        assertEquals(List.of("redis", "api", "worker", "worker-2", "all"), peer.stream().map(r -> r.get(0)).toList());
        // Columns by name: Tollgate's table has one the peer's lacks (the JIT compiler threads' share of the CPU).
        checkProcesses(md, "| Tollgate process |", tollgate, true);
        checkProcesses(md, "| peer process |", peer, false);

        List<List<String>> latency = table(md, "| system | rate |");
        assertEquals(List.of("Tollgate", "peer"), latency.stream().map(r -> r.get(0)).toList());
        latency.forEach(r -> assertEquals(List.of(r.get(2), "0", "0"), List.of(r.get(3), r.get(4), r.get(5)),
                "all called back once, no trigger failed: " + r));
        List<List<String>> saturation = table(md, "| system | workers |");
        assertEquals(List.of("Tollgate 1", "Tollgate 2", "peer 1", "peer 2"),
                saturation.stream().map(r -> r.get(0) + " " + r.get(1)).toList());
        saturation.forEach(r -> {
            // system, workers, offered, accepted, skipped, refused, failed, answer p99, window, in window, runs/s,
            // backlog, saturated, called back, drain
            assertEquals(r.get(3), r.get(13), "every accepted run was called back: " + r);
            assertEquals("0", r.get(5), "nothing refused at the quick plan's rate: " + r);
            assertEquals("0", r.get(6), "no trigger failed: " + r);
            assertTrue(Integer.parseInt(r.get(9)) > 0, "callbacks in the window: " + r);
        });

        assertTrue(log.contains("[peer] the BullMQ peer is up"), log);
        assertTrue(log.contains("[peer] worker-2 is up"), log);
        Matcher processes = PROCESSES.matcher(log);
        List<Long> pids = new ArrayList<>();
        while (processes.find()) {
            for (String entry : processes.group(2).split(",\\s*")) {
                pids.add(Long.parseLong(entry.substring(entry.indexOf('=') + 1)));
            }
        }
        assertEquals(8 + 4, pids.size(), "both systems' processes were listed: " + log);
        assertTrue(pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)),
                "neither system is left running: " + pids);
        Matcher started = Pattern.compile("starting Tollgate in (\\S+)").matcher(log);
        assertTrue(started.find(), log);
        assertTrue(Files.notExists(Path.of(started.group(1))), "its folder is removed after a successful run");
    }

    /** Every process has memory after the load; every one present in the CPU phase a CPU per run, JIT within it. */
    private static void checkProcesses(String md, String header, List<List<String>> rows, boolean hasJit) {
        List<String> columns = header(md, header);
        int cpu = columns.indexOf("CPU ms per run");
        int jit = columns.indexOf("of which JIT");
        int rss = columns.indexOf("RSS after the load MiB");
        assertTrue(cpu > 0 && rss > 0 && (jit > 0) == hasJit, "columns: " + columns);
        for (List<String> p : rows) {
            assertTrue(Double.parseDouble(p.get(rss)) > 0, "memory after the load: " + p);
            if (p.get(0).equals("worker-2")) {
                continue; // added after the CPU phase
            }
            double perRun = Double.parseDouble(p.get(cpu));
            assertTrue(perRun >= 0, "CPU per run: " + p);
            if (jit > 0) {
                double compiling = Double.parseDouble(p.get(jit));
                assertTrue(compiling >= 0 && compiling <= perRun + 0.01, "JIT within the CPU per run: " + p);
            }
        }
    }

    /** Half the last printed digit's unit: {@code 12.3} is 12.3 +- 0.05. */
    private static double halfUnit(String printed) {
        int dot = printed.indexOf('.');
        return 0.5 * Math.pow(10, dot < 0 ? 0 : -(printed.length() - dot - 1));
    }

    private static List<String> row(List<List<String>> table, String first, String md) {
        return table.stream().filter(r -> r.get(0).equals(first)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + first + " in:\n" + md));
    }

    /** The header cells of the markdown table whose header starts with {@code header}. */
    private static List<String> header(String md, String header) {
        String line = md.lines().filter(l -> l.startsWith(header)).findFirst().orElseThrow();
        return cells(line);
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
            rows.add(cells(lines.get(i)));
        }
        return rows;
    }

    private static List<String> cells(String line) {
        return Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::strip).toList();
    }
}
