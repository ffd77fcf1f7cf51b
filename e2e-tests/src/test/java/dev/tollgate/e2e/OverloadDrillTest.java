package dev.tollgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21's overload drill ({@code bench/run overload}) with its quick plan: the platform driven at twice its
 * measured saturation for a few seconds. How fast it answers is a figure for docs/benchmarks.md, not judged on a CI
 * machine; what must hold under any overload is: every request gets an answer, accepted (200) or refused (503/429)
 * with a {@code Retry-After}, every accepted run completes and calls back, and no process restarts.
 */
class OverloadDrillTest {

    static final Path ROOT = Path.of(System.getProperty("tollgate.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path workDir;

    @Test
    void underOverloadEveryRequestIsAnsweredAndEveryAcceptedRunCallsBack() throws Exception {
        BenchCommand drill = BenchCommand.run(ROOT, workDir, Duration.ofMinutes(10),
                List.of("bench/run", "overload", "--quick"));
        String md = drill.report();
        assertTrue(md.contains("<!-- overload-quick:begin -->"), md);
        assertEquals("0", drill.value("any other answer or none"), md);
        assertEquals("no", drill.value("a process restarted or stopped"), md);
        Matcher later = Pattern.compile("\\| runs triggered after the overload, called back \\| ([0-9,]+) of ([0-9,]+)")
                .matcher(md);
        assertTrue(later.find(), md);
        assertEquals(later.group(2), later.group(1), "every run triggered after the overload called back:\n" + md);
        Matcher refused = Pattern.compile("\\| refused 503/429, of them with a Retry-After \\| ([0-9,]+) / ([0-9,]+)")
                .matcher(md);
        assertTrue(refused.find(), md);
        assertEquals(refused.group(1), refused.group(2), "every refusal names a Retry-After:\n" + md);
        Matcher runs = Pattern.compile("\\| accepted runs completed / called back \\| ([0-9,]+) / ([0-9,]+) of "
                + "([0-9,]+)").matcher(md);
        assertTrue(runs.find(), md);
        assertTrue(Integer.parseInt(runs.group(3).replace(",", "")) > 0, "runs were accepted:\n" + md);
        assertEquals(runs.group(3), runs.group(1), "every accepted run completed:\n" + md);
        assertEquals(runs.group(3), runs.group(2), "every accepted run called back:\n" + md);
    }
}
