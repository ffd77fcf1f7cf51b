package dev.tollgate.platform.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The connection goes to the address the egress check saw, with the URL's name as the Host. */
class PinnedClientTest {

    static Vertx vertx;
    static HttpServer server;
    static final AtomicInteger requests = new AtomicInteger();
    static final CountDownLatch never = new CountDownLatch(1);

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            if (exchange.getRequestURI().getPath().equals("/big")) {
                exchange.sendResponseHeaders(200, 0); // chunked: no length to refuse it by
                byte[] chunk = new byte[64 * 1024];
                try (var out = exchange.getResponseBody()) {
                    for (int i = 0; i < 200; i++) { // 12.5 MiB
                        out.write(chunk);
                    }
                } catch (java.io.IOException reset) {
                    // the client stopped reading
                }
                return;
            }
            if (exchange.getRequestURI().getPath().equals("/hang")) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String sent = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] answer = (exchange.getRequestHeaders().getFirst("Host") + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " " + sent)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterAll
    static void stop() {
        never.countDown();
        server.stop(0);
        vertx.close();
    }

    static InetAddress[] dns(String host) throws UnknownHostException {
        return switch (host) {
            case "vendor.test" -> new InetAddress[] { InetAddress.getByName("127.0.0.1") };
            case "rebind.test" -> new InetAddress[] { InetAddress.getByName("93.184.216.34"),
                    InetAddress.getByName("10.0.0.7") };
            default -> throw new UnknownHostException(host);
        };
    }

    @Test
    void connectsToTheCheckedAddressWithTheUrlsNameAsHost() throws Exception {
        // vendor.test resolves only through the policy's resolver: the request reaching the server shows that the
        // connection went to what the check saw, not to a second lookup.
        EgressPolicy policy = new EgressPolicy(false, List.of("vendor.test"), PinnedClientTest::dns);
        try (PinnedClient client = new PinnedClient(vertx, policy, Duration.ofSeconds(2))) {
            int port = server.getAddress().getPort();
            PinnedClient.Answer answer = client.post("http://vendor.test:" + port + "/tool?x=1",
                    Map.of("Authorization", "Bearer t", "Content-Type", "application/json"), "{\"a\":1}",
                    Duration.ofSeconds(5));
            assertEquals(201, answer.status());
            assertEquals("vendor.test:" + port + " /tool?x=1 Bearer t {\"a\":1}", answer.body());
        }
    }

    @Test
    void aRefusedTargetIsNeverConnectedTo() {
        EgressPolicy policy = new EgressPolicy(false, List.of(), PinnedClientTest::dns);
        int before = requests.get();
        try (PinnedClient client = new PinnedClient(vertx, policy, Duration.ofSeconds(2))) {
            assertThrows(EgressRefused.class, () -> client.post("https://rebind.test/x", Map.of(), "{}",
                    Duration.ofSeconds(2)));
            assertThrows(EgressRefused.class, () -> client.post("http://127.0.0.1:" + server.getAddress().getPort()
                    + "/x", Map.of(), "{}", Duration.ofSeconds(2)));
            assertThrows(UnknownHostException.class, () -> client.post("https://nowhere.test/x", Map.of(), "{}",
                    Duration.ofSeconds(2)));
        }
        assertEquals(before, requests.get(), "nothing reached the server");
    }

    @Test
    void anEndlessAnswerIsRefusedNotKept() {
        EgressPolicy policy = new EgressPolicy(true, List.of(), PinnedClientTest::dns);
        try (PinnedClient client = new PinnedClient(vertx, policy, Duration.ofSeconds(2))) {
            assertThrows(java.io.IOException.class, () -> client.post("http://127.0.0.1:"
                    + server.getAddress().getPort() + "/big", Map.of(), "{}", Duration.ofSeconds(20)));
        }
    }

    @Test
    void anAnswerThatDoesNotComeInTimeIsATimeout() {
        EgressPolicy policy = new EgressPolicy(true, List.of(), PinnedClientTest::dns);
        try (PinnedClient client = new PinnedClient(vertx, policy, Duration.ofSeconds(2))) {
            assertThrows(HttpTimeoutException.class, () -> client.post("http://127.0.0.1:"
                    + server.getAddress().getPort() + "/hang", Map.of(), "{}", Duration.ofMillis(500)));
        }
    }
}
