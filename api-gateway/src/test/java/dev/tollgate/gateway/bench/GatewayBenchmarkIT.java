package dev.tollgate.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.tollgate.localstack.testing.BenchmarkReport;
import dev.tollgate.localstack.testing.LocalStackProcess;
import dev.tollgate.localstack.testing.ServiceProcess;
import dev.tollgate.localstack.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The gateway's added latency: the same request ({@code GET /credits/balance} with a user token) sent straight to
 * credits-service and through the gateway, interleaved in the same run, one client and then eight at once. Both
 * processes are the packaged jars on one local stack; rate limits are lifted so only the proxying is measured.
 * Writes its section of docs/benchmarks.md. Run with {@code bench/run gateway}.
 */
@EnabledIfSystemProperty(named = "tollgate.benchmark", matches = "true")
class GatewayBenchmarkIT {

    static final Path JAR = Path.of(System.getProperty("tollgate.service.jar"));
    static final int REQUESTS = Integer.getInteger("tollgate.benchmark.requests", 3000);
    static final int ROUNDS = Integer.getInteger("tollgate.benchmark.rounds", 3);
    static final int CLIENTS = 8;

    static final String READING = "What the gateway adds per request is the last column: verifying the RS256 token at the "
            + "edge, two rate-limit buckets, the access-log line and a second loopback hop with its own connection pool. "
            + "With eight clients on two cores, the gateway, the service and the load generator share the same CPUs, so "
            + "the added time there is mostly queueing for a core, not proxy work.";

    record Sample(List<Long> direct, List<Long> gateway, double directPerSecond, double gatewayPerSecond) {
    }

    @Test
    void addedLatencyOfTheGateway() throws Exception {
        try (LocalStackProcess stack = LocalStackProcess.start();
                ServiceProcess credits = new ServiceProcess("credits-service", ServiceProcess.siblingJar("credits-service"),
                        stack, Map.of("QUARKUS_LOG_LEVEL", "WARN",
                                "QUARKUS_LOG_CATEGORY__IO_QUARKUS_HTTP_ACCESS_LOG__LEVEL", "WARN"))) {
            credits.start();
            try (ServiceProcess gateway = new ServiceProcess("api-gateway", JAR, stack, Map.of(
                    "TOLLGATE_CREDITS_URL", credits.baseUrl(),
                    "TOLLGATE_JWT_PUBLIC_KEY_LOCATION", stack.publicKey().toString(),
                    "TOLLGATE_JWT_PRIVATE_KEY_LOCATION", stack.privateKey().toString(),
                    "TOLLGATE_GATEWAY_RATE_LIMITS_PER_TOKEN_REQUESTS_PER_SECOND", "1000000",
                    "TOLLGATE_GATEWAY_RATE_LIMITS_PER_TOKEN_BURST", "1000000",
                    "TOLLGATE_GATEWAY_RATE_LIMITS_PER_IP_REQUESTS_PER_SECOND", "1000000",
                    "TOLLGATE_GATEWAY_RATE_LIMITS_PER_IP_BURST", "1000000",
                    "QUARKUS_LOG_CATEGORY__TOLLGATE_ACCESS__LEVEL", "WARN")).start()) {
                var key = TestTokens.readPrivateKey(stack.privateKey());
                String user = TestTokens.token("bench-user", null, Set.of("user"), Duration.ofHours(1), key);
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                URI direct = URI.create(credits.baseUrl() + "/credits/balance");
                URI viaGateway = URI.create(gateway.baseUrl() + "/credits/balance");
                assertEquals(200, get(http, viaGateway, user), "the gateway routes the request");

                measure(http, direct, viaGateway, user, 1, REQUESTS);
                List<Sample> single = new ArrayList<>();
                List<Sample> eight = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    single.add(measure(http, direct, viaGateway, user, 1, REQUESTS));
                    eight.add(measure(http, direct, viaGateway, user, CLIENTS, REQUESTS));
                }
                String section = report(single, eight);
                BenchmarkReport.write("gateway", section);
                System.out.println(section);
            }
        }
    }

    /** {@code clients} threads, each alternating a direct and a gateway request, {@code perPath} of each in all. */
    private static Sample measure(HttpClient http, URI direct, URI gateway, String token, int clients, int perPath)
            throws Exception {
        List<Long> d = Collections.synchronizedList(new ArrayList<>());
        List<Long> g = Collections.synchronizedList(new ArrayList<>());
        long[] directNanos = new long[clients];
        long[] gatewayNanos = new long[clients];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
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
        pool.shutdown();
        double directSeconds = java.util.Arrays.stream(directNanos).max().orElse(1) / 1e9;
        double gatewaySeconds = java.util.Arrays.stream(gatewayNanos).max().orElse(1) / 1e9;
        return new Sample(sorted(d), sorted(g), d.size() / directSeconds, g.size() / gatewaySeconds);
    }

    private static int get(HttpClient http, URI uri, String token) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + r.statusCode());
            }
            return r.statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }

    private static String report(List<Sample> single, List<Sample> eight) {
        StringBuilder s = new StringBuilder();
        s.append("## Gateway overhead\n\n");
        s.append("Command: `bench/run gateway`. Machine: ").append(BenchmarkReport.machine()).append(".\n\n");
        s.append("The same `GET /credits/balance` (user token, JSON answer) straight to credits-service and through the\n")
                .append("gateway (token checked at the edge, rate limits on but lifted, proxied), interleaved request by\n")
                .append("request in one run; ").append(ROUNDS).append(" rounds of ").append(REQUESTS)
                .append(" requests per path after a warm-up round. Figures are the median over rounds.\n\n");
        s.append("| clients | path | p50 ms | p99 ms | requests/s per path |\n|---|---|---|---|---|\n");
        row(s, "1", "direct", single, true);
        row(s, "1", "gateway", single, false);
        row(s, String.valueOf(CLIENTS), "direct", eight, true);
        row(s, String.valueOf(CLIENTS), "gateway", eight, false);
        s.append("\n| clients | gateway/direct p50 | gateway/direct p99 | added p50 ms |\n|---|---|---|---|\n");
        ratio(s, "1", single);
        ratio(s, String.valueOf(CLIENTS), eight);
        s.append("\n").append(READING).append("\n\n");
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
}
