package dev.tollgate.localstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.tollgate.localstack.testing.BenchmarkReport;

/**
 * The gateway's added latency, measured fairly on a noisy machine: the same GET straight to a service and through
 * the gateway, interleaved request by request (which goes first alternates), so both paths see the same moment of
 * the machine's load.
 */
public final class SideBySide {

    private SideBySide() {
    }

    public record Sample(List<Long> direct, List<Long> gateway, double directPerSecond, double gatewayPerSecond) {
    }

    /** {@code clients} threads, each alternating a direct and a gateway request, {@code perPath} of each in all. */
    public static Sample measure(HttpClient http, URI direct, URI gateway, String token, int clients, int perPath)
            throws Exception {
        List<Long> d = Collections.synchronizedList(new ArrayList<>());
        List<Long> g = Collections.synchronizedList(new ArrayList<>());
        long[] directNanos = new long[clients];
        long[] gatewayNanos = new long[clients];
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perPath / clients; i++) {
                        boolean gatewayFirst = (i + client) % 2 == 0;
                        for (int leg = 0; leg < 2; leg++) {
                            boolean viaGateway = gatewayFirst == (leg == 0);
                            long t0 = System.nanoTime();
                            get(http, viaGateway ? gateway : direct, token);
                            long took = System.nanoTime() - t0;
                            (viaGateway ? g : d).add(took);
                            if (viaGateway) {
                                gatewayNanos[client] += took;
                            } else {
                                directNanos[client] += took;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        double directSeconds = Arrays.stream(directNanos).max().orElse(1) / 1e9;
        double gatewaySeconds = Arrays.stream(gatewayNanos).max().orElse(1) / 1e9;
        return new Sample(sorted(d), sorted(g), d.size() / directSeconds, g.size() / gatewaySeconds);
    }

    /**
     * Two markdown tables, medians over the rounds: latency and rate per path for one client and for
     * {@code clients}, then gateway/direct ratios and the added p50.
     */
    public static String tables(List<Sample> single, List<Sample> many, int clients) {
        StringBuilder s = new StringBuilder();
        s.append("| clients | path | p50 ms | p99 ms | requests/s per path |\n|---|---|---|---|---|\n");
        row(s, "1", "direct", single, true);
        row(s, "1", "gateway", single, false);
        row(s, String.valueOf(clients), "direct", many, true);
        row(s, String.valueOf(clients), "gateway", many, false);
        s.append("\n| clients | gateway/direct p50 | gateway/direct p99 | added p50 ms |\n|---|---|---|---|\n");
        ratio(s, "1", single);
        ratio(s, String.valueOf(clients), many);
        return s.toString();
    }

    private static void row(StringBuilder s, String clients, String path, List<Sample> samples, boolean direct) {
        double p50 = BenchmarkReport.median(samples.stream().map(x -> BenchmarkReport.millis(
                BenchmarkReport.percentile(direct ? x.direct() : x.gateway(), 50))).toList());
        double p99 = BenchmarkReport.median(samples.stream().map(x -> BenchmarkReport.millis(
                BenchmarkReport.percentile(direct ? x.direct() : x.gateway(), 99))).toList());
        double rate = BenchmarkReport.median(samples.stream()
                .map(x -> direct ? x.directPerSecond() : x.gatewayPerSecond()).toList());
        s.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.0f |%n", clients, path, p50, p99, rate));
    }

    private static void ratio(StringBuilder s, String clients, List<Sample> samples) {
        double p50 = BenchmarkReport.median(samples.stream().map(x -> (double) BenchmarkReport.percentile(x.gateway(), 50)
                / BenchmarkReport.percentile(x.direct(), 50)).toList());
        double p99 = BenchmarkReport.median(samples.stream().map(x -> (double) BenchmarkReport.percentile(x.gateway(), 99)
                / BenchmarkReport.percentile(x.direct(), 99)).toList());
        double added = BenchmarkReport.median(samples.stream().map(x -> BenchmarkReport.millis(
                BenchmarkReport.percentile(x.gateway(), 50) - BenchmarkReport.percentile(x.direct(), 50))).toList());
        s.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", clients, p50, p99, added));
    }

    private static void get(HttpClient http, URI uri, String token) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + r.statusCode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }
}
