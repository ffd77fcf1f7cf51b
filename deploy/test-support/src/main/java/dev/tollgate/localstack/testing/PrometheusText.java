package dev.tollgate.localstack.testing;

import java.util.Arrays;

/**
 * Reads a sample's value out of a service's {@code /q/metrics} answer (Prometheus text format), so tests assert on
 * the metrics a service exposes without each parsing the format by hand. Enough of the format for tests: one sample
 * per line, {@code name{labels} value}, comment lines ignored.
 */
public final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * The sum of the values of every sample named {@code name} whose labels contain each of {@code labels} (written as
     * in the text, e.g. {@code status="200"}); 0 when none does. Summed because one logical count is often split by a
     * label the test does not care about (an outcome, an exception class).
     */
    public static double sum(String text, String name, String... labels) {
        return text.lines()
                .filter(line -> !line.startsWith("#"))
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
