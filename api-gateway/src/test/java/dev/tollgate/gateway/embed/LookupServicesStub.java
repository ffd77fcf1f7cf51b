package dev.tollgate.gateway.embed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for catalog-service and workflow-service on loopback, answering the look-ups the embed pages make the
 * way those services do (same paths, bodies and error codes), plus the failures worth testing: a 500, a bare 404
 * and an answer that never comes. Records each request, so tests can check what the gateway sent.
 */
public class LookupServicesStub implements QuarkusTestResourceLifecycleManager {

    static final String WORKFLOW = "aaaaaaaaaaaaaaaaaaaaaaaa";
    static final String HOSTILE_WORKFLOW = "bbbbbbbbbbbbbbbbbbbbbbbb";
    static final String FAILING_WORKFLOW = "eeeeeeeeeeeeeeeeeeeeeeee";
    static final String BARE_404_WORKFLOW = "dddddddddddddddddddddddd";
    static final String HANGING_WORKFLOW = "ffffffffffffffffffffffff";
    static final String DELETED_WORKFLOW = "0123456789abcdef01234567";
    static final String BUNDLE = "cccccccccccccccccccccccc";
    static final String PRODUCT_ID = "65f000000000000000000001";
    static final String PRODUCT_SLUG = "text-stats";
    static final String RETIRED_PRODUCT = "old-tool";

    /** A name that tries to end the configuration's script element and start its own. */
    static final String HOSTILE_NAME = "</script><script>alert('owned')</script><!-- & \u2028 \"quoted\"";

    record Seen(String path, String authorization) {
    }

    static final List<Seen> REQUESTS = new CopyOnWriteArrayList<>();
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::answer);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of(
                "quarkus.rest-client.embed-catalog.url", url,
                "quarkus.rest-client.embed-workflow.url", url,
                // Shorter than production so the hanging look-up is over quickly; the behaviour is the same.
                "quarkus.rest-client.embed-workflow.read-timeout", "1000");
    }

    @Override
    public void stop() {
        NEVER.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        REQUESTS.add(new Seen(path, exchange.getRequestHeaders().getFirst("Authorization")));
        switch (path) {
            case "/internal/workflows/" + WORKFLOW -> send(exchange, 200, workflow(WORKFLOW, json("Support bot"),
                    json("Answers questions about your orders")));
            case "/internal/workflows/" + HOSTILE_WORKFLOW -> send(exchange, 200, workflow(HOSTILE_WORKFLOW,
                    json(HOSTILE_NAME), "null"));
            case "/internal/workflows/" + FAILING_WORKFLOW -> send(exchange, 500,
                    "{\"success\":false,\"error\":\"internal_error\",\"message\":\"boom\"}");
            case "/internal/workflows/" + BARE_404_WORKFLOW -> send(exchange, 404, "");
            case "/internal/workflows/" + HANGING_WORKFLOW -> {
                try {
                    NEVER.await(30, TimeUnit.SECONDS); // a service that accepted the connection and went quiet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                send(exchange, 200, workflow(HANGING_WORKFLOW, json("Too late"), "null"));
            }
            case "/internal/products/" + PRODUCT_SLUG, "/internal/products/" + PRODUCT_ID ->
                    send(exchange, 200, "{\"success\":true,\"data\":{\"product\":" + product("active") + "}}");
            case "/internal/products/" + RETIRED_PRODUCT ->
                    send(exchange, 200, "{\"success\":true,\"data\":{\"product\":" + product("retired") + "}}");
            case "/bundles/" + BUNDLE -> send(exchange, 200, """
                    {"success":true,"data":{"bundle":{"bundle_id":"%s","name":"Everything for support",
                     "description":"Chats and tools","workflow_ids":["%s","%s"],
                     "tools":[{"product_id":"%s","name":"text_stats","display_name":"Text statistics",
                               "description":"Counts words","slug":"text-stats","price_credits":5,"price_usd":0.05,
                               "actions":[{"name":"analyze","description":"Counts",
                                           "parameters_schema":{"type":"object","required":["text"],
                                                                "properties":{"text":{"type":"string"}}}}],
                               "required_credentials":[]}],
                     "created_at":"2025-01-01T00:00:00Z"}}}
                    """.formatted(BUNDLE, WORKFLOW, DELETED_WORKFLOW, PRODUCT_ID));
            default -> {
                if (path.startsWith("/internal/workflows/")) {
                    send(exchange, 404, "{\"success\":false,\"error\":\"workflow_not_found\",\"message\":\"No workflow\"}");
                } else if (path.startsWith("/internal/products/")) {
                    send(exchange, 404, "{\"detail\":\"Product not found\",\"error\":\"product_not_found\"}");
                } else if (path.startsWith("/bundles/")) {
                    send(exchange, 404, "{\"detail\":\"Bundle not found\",\"error\":\"bundle_not_found\"}");
                } else {
                    send(exchange, 404, "{\"detail\":\"Not Found\"}");
                }
            }
        }
    }

    private static String workflow(String id, String nameJson, String descriptionJson) {
        return "{\"success\":true,\"data\":{\"workflow\":{\"workflow_id\":\"" + id + "\",\"name\":" + nameJson
                + ",\"description\":" + descriptionJson + "}}}";
    }

    /** catalog-service's internal product answer for text_stats (action names and, for the form, their schemas). */
    private static String product(String status) {
        return """
                {"product_id":"%s","name":"text_stats","display_name":"Text statistics","description":"Counts words",
                 "status":"%s","price_credits":5,"actions":["analyze","extract"],
                 "action_schemas":[
                   {"name":"analyze","description":"Counts","parameters_schema":{"type":"object","required":["text"],
                     "properties":{"text":{"type":"string","maxLength":200000},"top":{"type":"integer","minimum":1,"maximum":50}}}},
                   {"name":"extract","description":"Extracts","parameters_schema":{"type":"object","required":["text","kind"],
                     "properties":{"text":{"type":"string"},"kind":{"enum":["emails","urls","numbers"]}}}}]}
                """.formatted(PRODUCT_ID, status);
    }

    private static String json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
