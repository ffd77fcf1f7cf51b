package dev.tollgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform benchmark's one command ({@code bench/run platform}) with its quick plan: it starts the platform
 * itself, drives every phase through the gateway, adds a second worker, stops everything and writes a complete
 * report. The figures are not judged (speed is for docs/benchmarks.md), but what must hold under any load is:
 * every run completes, every callback arrives once, purchases are charged exactly, and nothing is left running.
 */
class PlatformBenchmarkTest {

    static final Path ROOT = Path.of(System.getProperty("tollgate.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path workDir;

    @Test
    void oneCommandProducesACompleteReportAndLeavesNothingRunning() throws Exception {
        Path report = workDir.resolve("benchmarks.md");
        Path output = workDir.resolve("bench.log");
        ProcessBuilder builder = new ProcessBuilder("bench/run", "platform", "--quick").directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("TOLLGATE_BENCHMARKS_FILE", report.toString());
        builder.environment().put("TOLLGATE_NO_BUILD", "1");
        Process bench = builder.start();
        if (!bench.waitFor(10, TimeUnit.MINUTES)) {
            bench.destroy();
            throw new AssertionError("the quick benchmark did not finish in 10 minutes:\n" + Files.readString(output));
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, bench.exitValue(), log);

        String md = Files.readString(report, StandardCharsets.UTF_8);
        assertTrue(md.contains("<!-- platform:begin -->") && md.contains("<!-- platform:end -->"), md);
        assertTrue(md.contains("Command: `bench/run platform --quick`. Run on "), "names the command and machine");

        List<List<String>> processes = table(md, "| process |");
        assertEquals(List.of("local-stack", "credits", "catalog", "workflow", "callback", "worker", "gateway",
                "worker-2"), processes.stream().map(r -> r.get(0)).toList());
        for (List<String> p : processes.subList(1, processes.size())) {
            assertTrue(Double.parseDouble(p.get(1)) > 0, "a start time for " + p);
            assertTrue(Double.parseDouble(p.get(3)) > 0, "memory after the load for " + p);
        }

        List<List<String>> acks = table(md, "| offered |");
        assertEquals(List.of("5/s", "10/s"), acks.stream().map(r -> r.get(0)).toList());
        acks.forEach(r -> assertEquals("0", r.get(4), "no trigger failed: " + r));

        List<String> callbacks = table(md, "| runs | callbacks received |").getFirst();
        assertEquals(callbacks.get(0), callbacks.get(1), "every run's callback arrived: " + callbacks);
        assertEquals("0", callbacks.get(2), "and only once");

        List<List<String>> saturation = table(md, "| workers |");
        assertEquals(List.of("1", "2"), saturation.stream().map(r -> r.get(0)).toList());
        saturation.forEach(r -> assertEquals(r.get(1), r.get(2), "every run completed: " + r));

        List<String> purchases = table(md, "| purchases/s |").getFirst();
        assertEquals("0", purchases.get(3), "no purchase failed");
        assertEquals(purchases.get(5), purchases.get(4), "charged exactly price x purchases");
        assertTrue(Long.parseLong(purchases.get(4)) > 0, "some purchases were made");

        assertEquals(4, table(md, "| clients | path |").size(), "direct and gateway, one client and several");
        assertTrue(log.contains("[bench] adding a second worker"), log);
        Matcher started = Pattern.compile("starting the platform in (\\S+)").matcher(log);
        assertTrue(started.find(), log);
        String platformDir = started.group(1);
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains(platformDir)),
                "the benchmark's local stack is stopped");
        assertTrue(Files.notExists(Path.of(platformDir)), "and its folder removed after a successful run");
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
