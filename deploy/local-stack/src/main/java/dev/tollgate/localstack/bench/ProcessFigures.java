package dev.tollgate.localstack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the operating system and a service's own log say about a process: resident memory and start time. */
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

    /** Quarkus's own "started in N.NNNs" from the service's log, if it is there. */
    static Optional<Double> startSeconds(Path log) {
        try {
            Matcher m = STARTED.matcher(Files.readString(log));
            return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
