package dev.tollgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/run profile}, briefly, both of its loads: it starts the platform itself, warms it up, records every
 * process with JDK Flight Recorder while the load runs, and writes its section of the report. The figures are not
 * judged (speed is for docs/benchmarks.md); what must hold is that the load it profiled was the one asked for (every
 * trigger called back, every purchase answered), that every process has its CPU per unit of work and its hottest
 * frames, and that a recording of each process is left where the report says.
 */
class ProfileBenchmarkTest {

    static final Path ROOT = RunPathBenchmarkTest.ROOT;
    static final List<String> PROCESSES = List.of("local-stack", "credits", "catalog", "workflow", "callback", "worker",
            "gateway");

    @TempDir
    Path workDir;

    @Test
    void profilesRunsWithEveryProcessRecorded() throws Exception {
        Path recordings = workDir.resolve("runs");
        String md = profile(recordings, "--rate", "5", "--seconds", "6", "--warm-up", "3");

        assertTrue(md.contains("<!-- profile:begin -->") && md.contains("<!-- profile:end -->"), md);
        assertTrue(md.contains("## Where a run's CPU goes (JDK Flight Recorder)"), md);
        assertTrue(md.contains("Command: `bench/run profile --rate 5 --seconds 6 --warm-up 3`. Run on "), md);
        Matcher load = Pattern.compile("(\\d+) triggers \\((\\d+) failed, of which (\\d+) refused for overload\\), "
                + "ack p50 [\\d.]+ ms, p99 [\\d.]+ ms; (\\d+) of (\\d+) callbacks arrived, the last [\\d.]+ s after "
                + "the last trigger\\.").matcher(md);
        assertTrue(load.find(), md);
        assertEquals(List.of("30", "0", "0", "30", "30"), List.of(load.group(1), load.group(2), load.group(3),
                load.group(4), load.group(5)), "the 5/s for 6 s recorded, none refused, every run called back");
        checkCosts(md, "run", recordings, "");
    }

    @Test
    void profilesPurchasesInTheirOwnSection() throws Exception {
        Path recordings = workDir.resolve("purchases");
        String md = profile(recordings, "--purchases", "2", "--seconds", "5", "--warm-up", "3");

        assertTrue(md.contains("<!-- profile-purchases:begin -->") && md.contains("<!-- profile-purchases:end -->"),
                md);
        assertTrue(md.contains("Command: `bench/run profile --purchases 2 --seconds 5 --warm-up 3`. Run on "), md);
        Matcher load = Pattern.compile("(\\d+) purchases \\((\\d+) failed\\), [\\d.]+/s").matcher(md);
        assertTrue(load.find(), md);
        assertTrue(Integer.parseInt(load.group(1)) > 0, "purchases were made: " + load.group());
        assertEquals("0", load.group(2), "none failed: " + load.group());
        checkCosts(md, "purchase", recordings, "purchases-");
    }

    private String profile(Path recordings, String... load) throws Exception {
        List<String> command = new ArrayList<>(List.of("bench/run", "profile", "--out", recordings.toString()));
        command.addAll(List.of(load));
        return BenchCommand.run(ROOT, workDir, Duration.ofMinutes(6), command).report();
    }

    /** CPU per unit for every process and their sum, a table of hottest frames and a recording for each process. */
    private static void checkCosts(String md, String unit, Path recordings, String prefix) throws Exception {
        double sum = 0;
        for (String process : PROCESSES) {
            Matcher row = Pattern.compile("\\| " + Pattern.quote(process) + " \\| ([\\d.]+) \\|").matcher(md);
            assertTrue(row.find(), "CPU ms per " + unit + " of " + process + ":\n" + md);
            sum += Double.parseDouble(row.group(1));
            assertTrue(md.contains("| " + process + " | samples | share |"), "hottest frames of " + process);
            Path recording = recordings.resolve(prefix + process + ".jfr");
            assertTrue(Files.size(recording) > 0, "a recording: " + recording);
        }
        Matcher all = Pattern.compile("\\| all \\| ([\\d.]+) \\|").matcher(md);
        assertTrue(all.find(), md);
        double total = Double.parseDouble(all.group(1));
        assertTrue(total > 0, "the platform spent CPU on the load: " + all.group());
        // Each row is rounded to 0.1 ms: the sum of the rows is the total within that rounding.
        assertEquals(total, sum, 0.05 * (PROCESSES.size() + 1), "all is the sum of the processes");
        assertTrue(md.contains("| process | CPU ms per " + unit + " |"), md);
    }
}
