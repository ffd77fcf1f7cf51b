package dev.tollgate.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Four stand-ins for the services behind the gateway, on 127.0.0.1. Each answers with what it received (which
 * service it is, method, path, query, headers, body), so a test sees exactly what the proxy forwarded; a few paths
 * answer with particular statuses and headers, {@code /internal/api-keys/verify} plays catalog's API-key
 * exchange, and a path ending in {@code /held} waits until the test lets it go (a service that stopped keeping up).
 */
public class StubUpstreams implements QuarkusTestResourceLifecycleManager {

    public static final String GOOD_KEY = "tg_test_good_key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, HttpServer> SERVERS = new ConcurrentHashMap<>();
    private static final AtomicInteger HELD = new AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicLong LARGEST_BODY = new java.util.concurrent.atomic.AtomicLong();
    private static volatile CountDownLatch letGo = new CountDownLatch(0);

    /** From now on, requests to a path ending in {@code /held} wait (at most a minute) until {@link #letGo()}. */
    public static void holdRequests() {
        letGo = new CountDownLatch(1);
    }

    /** Lets every waiting {@code /held} request be answered, and the next ones at once. */
    public static void letGo() {
        letGo.countDown();
    }

    /** The longest request body any stand-in service has received whole. */
    public static long largestBodyReceived() {
        return LARGEST_BODY.get();
    }

    /** How many {@code /held} requests are waiting now. */
    public static int held() {
        return HELD.get();
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new LinkedHashMap<>();
        for (String name : List.of("credits", "catalog", "workflow", "callback")) {
            HttpServer server = serve(name);
            SERVERS.put(name, server);
            config.put("tollgate.gateway.upstreams." + name, "http://127.0.0.1:" + server.getAddress().getPort());
        }
        return config;
    }

    @Override
    public void stop() {
        SERVERS.values().forEach(s -> s.stop(0));
        SERVERS.clear();
    }

    private static HttpServer serve(String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            server.createContext("/", exchange -> answer(name, exchange));
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void answer(String name, HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] received = exchange.getRequestBody().readAllBytes();
        LARGEST_BODY.accumulateAndGet(received.length, Math::max);
        if (path.endsWith("/held")) {
            HELD.incrementAndGet();
            try {
                letGo.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                HELD.decrementAndGet();
            }
        }
        if (path.equals("/internal/api-keys/verify")) {
            apiKeyExchange(exchange, new String(received, StandardCharsets.UTF_8));
            return;
        }
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("upstream", name);
        echo.put("method", exchange.getRequestMethod());
        echo.put("path", path);
        echo.put("query", exchange.getRequestURI().getRawQuery());
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.getFirst()));
        echo.put("headers", headers);
        echo.put("body", new String(received, StandardCharsets.UTF_8));
        int status = 200;
        String type = "application/json";
        if (path.endsWith("/accepted")) {
            status = 202;
            exchange.getResponseHeaders().add("x-instance-id", "inst_42");
            exchange.getResponseHeaders().add("X-Page", "3");
            exchange.getResponseHeaders().add("X-Page-Size", "25");
        } else if (path.endsWith("/busy")) {
            status = 429;
            exchange.getResponseHeaders().add("Retry-After", "7");
        } else if (path.endsWith("/page.html")) {
            type = "text/html; charset=utf-8";
        }
        byte[] body = type.startsWith("text/html") ? "<!doctype html><p>hi</p>".getBytes(StandardCharsets.UTF_8)
                : JSON.writeValueAsBytes(echo);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void apiKeyExchange(HttpExchange exchange, String body) throws IOException {
        boolean good = body.contains(GOOD_KEY)
                && String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")).startsWith("Bearer ");
        byte[] answer = good
                ? JSON.writeValueAsBytes(Map.of("success", true, "data", Map.of("user_id", "alice",
                        "budget_id", "budget-alice", "roles", List.of("user", "service"), "key_id", "k1")))
                : JSON.writeValueAsBytes(Map.of("detail", "Invalid API key", "error", "invalid_api_key"));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(good ? 200 : 401, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }
}
