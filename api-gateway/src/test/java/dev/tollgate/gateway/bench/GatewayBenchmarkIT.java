package dev.tollgate.gateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tollgate.localstack.bench.SideBySide;
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

                SideBySide.measure(http, direct, viaGateway, user, 1, REQUESTS);
                List<SideBySide.Sample> single = new ArrayList<>();
                List<SideBySide.Sample> eight = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    single.add(SideBySide.measure(http, direct, viaGateway, user, 1, REQUESTS));
                    eight.add(SideBySide.measure(http, direct, viaGateway, user, CLIENTS, REQUESTS));
                }
                String section = report(single, eight);
                BenchmarkReport.write("gateway", section);
                System.out.println(section);
            }
        }
    }

    private static String report(List<SideBySide.Sample> single, List<SideBySide.Sample> eight) {
        StringBuilder s = new StringBuilder();
        s.append("## Gateway overhead\n\n");
        s.append("Command: `bench/run gateway`. Machine: ").append(BenchmarkReport.machine()).append(".\n\n");
        s.append("The same `GET /credits/balance` (user token, JSON answer) straight to credits-service and through the\n")
                .append("gateway (token checked at the edge, rate limits on but lifted, proxied), interleaved request by\n")
                .append("request in one run; ").append(ROUNDS).append(" rounds of ").append(REQUESTS)
                .append(" requests per path after a warm-up round. Figures are the median over rounds.\n\n");
        s.append(SideBySide.tables(single, eight, CLIENTS));
        s.append("\n").append(READING).append("\n\n");
        return s.toString();
    }
}
