package dev.tollgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code bench/run} command as a user types it, from the project root, with its report written to a file of the
 * test's own and without building (the build before the tests did). What it printed, and the report it wrote.
 */
record BenchCommand(String log, String report) {

    static BenchCommand run(Path root, Path workDir, Duration limit, List<String> args) throws Exception {
        Path report = workDir.resolve("benchmarks.md");
        Path output = workDir.resolve("bench.log");
        ProcessBuilder builder = new ProcessBuilder(args).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("TOLLGATE_BENCHMARKS_FILE", report.toString());
        builder.environment().put("TOLLGATE_NO_BUILD", "1");
        Process bench = builder.start();
        if (!bench.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            bench.destroy();
            throw new AssertionError(String.join(" ", args) + " did not finish in " + limit.toMinutes()
                    + " minutes:\n" + Files.readString(output));
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, bench.exitValue(), log);
        return new BenchCommand(log, Files.readString(report, StandardCharsets.UTF_8));
    }

    /** The value column of the report's row whose figure starts with {@code figure}. */
    String value(String figure) {
        for (String line : report.split("\n")) {
            if (line.startsWith("| " + figure)) {
                return line.split("\\|")[2].trim();
            }
        }
        throw new AssertionError("no row " + figure + " in\n" + report);
    }
}
