package dev.tollgate.localstack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the operating system and a service's own log say about a process: resident memory, CPU time and start time.
 */
final class ProcessFigures {

    private static final Pattern STARTED = Pattern.compile("started in ([0-9]+(?:\\.[0-9]+)?)s");

    private ProcessFigures() {
    }

    /** Resident memory now and at its peak (VmRSS, VmHWM), in MiB; empty when the process is gone. */
    record Memory(double rssMiB, double peakMiB) {
    }

    static Optional<Memory> memory(long pid) {
        try {
            long rss = -1;
            long peak = -1;
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    peak = kib(line);
                }
            }
            return rss < 0 ? Optional.empty() : Optional.of(new Memory(rss / 1024.0, peak / 1024.0));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Quarkus's own "started in N.NNNs" from the service's log (the last start in it), if it is there. */
    static Optional<Double> startSeconds(Path log) {
        try {
            Matcher m = STARTED.matcher(Files.readString(log));
            Optional<Double> last = Optional.empty();
            while (m.find()) {
                last = Optional.of(Double.parseDouble(m.group(1)));
            }
            return last;
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * CPU time the process has used so far, user plus system ({@code utime + stime} of {@code /proc/<pid>/stat}), in
     * milliseconds; empty when the process is gone.
     */
    static Optional<Double> cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15 of stat
            return Optional.of(ticks * 1000.0 / CLOCK_TICKS);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * CPU time the process's JIT compiler threads have used so far ({@code C1/C2 CompilerThread*} under
     * {@code /proc/<pid>/task}), in milliseconds: a warming JVM's cost, not a run's. A lower bound: HotSpot stops idle
     * compiler threads, and an exited thread's time is only in the process total. 0 for a process that is not a JVM.
     */
    static Optional<Double> jitCpuMillis(long pid) {
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            long ticks = 0;
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException | RuntimeException threadGone) {
                    // the thread exited between the listing and the read
                }
            }
            return Optional.of(ticks * 1000.0 / CLOCK_TICKS);
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** {@link #jitCpuMillis(long)} of each named process that is still running. */
    static Map<String, Double> jitCpuMillis(Map<String, Long> pids) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        pids.forEach((name, pid) -> jitCpuMillis(pid).ifPresent(ms -> cpu.put(name, ms)));
        return cpu;
    }

    /** {@link #cpuMillis(long)} of each named process that is still running. */
    static Map<String, Double> cpuMillis(Map<String, Long> pids) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        pids.forEach((name, pid) -> cpuMillis(pid).ifPresent(ms -> cpu.put(name, ms)));
        return cpu;
    }

    /** The kernel's clock ticks per second for {@code /proc} CPU times ({@code getconf CLK_TCK}; 100 on Linux). */
    private static final long CLOCK_TICKS = clockTicks();

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /** The size of everything under {@code dir}, in MiB (0 when it does not exist). */
    static double folderMiB(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // a file the store removed while we walked
                }
            }).sum() / (1024.0 * 1024.0);
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
