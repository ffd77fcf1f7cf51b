package dev.tollgate.localstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** The public API as a client of the demo tenant uses it, through the gateway. */
final class PlatformClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String gateway;

    PlatformClient(String gateway) {
        this.gateway = gateway;
    }

    /** A client of its own to the same gateway (its own connections and I/O thread), as another tenant would have. */
    PlatformClient another() {
        return new PlatformClient(gateway);
    }

    HttpClient http() {
        return http;
    }

    /** {@code POST /auth/token}: an access token for an API key. */
    String token(String apiKey) {
        return field(send("POST", gateway + "/auth/token", null, Map.of("api_key", apiKey)), 200, "/access_token");
    }

    /** Triggers a run; the run id when the platform accepted it (200), empty otherwise. */
    Optional<String> trigger(String token, String workflowId, Map<String, Object> body) {
        return triggerAnswer(token, workflowId, body).runId();
    }

    /**
     * A trigger's answer: its status, the new run's id when it was taken (200), its {@code Retry-After}, and an error
     * answer's {@code message} (which part of the platform refused: "" when there is none).
     */
    record TriggerAnswer(int status, Optional<String> runId, Optional<String> retryAfter, String message) {
        /**
         * Refused for overload (503 {@code overloaded}) or over the budget's share while others trigger (429
         * {@code rate_limited}), with a {@code Retry-After}: nothing was queued.
         */
        boolean refused() {
            return status == 503 || status == 429;
        }
    }

    TriggerAnswer triggerAnswer(String token, String workflowId, Map<String, Object> body) {
        HttpResponse<String> r = send("POST", gateway + "/api/agent-webhooks/" + workflowId + "/trigger", token, body);
        JsonNode answer = r.statusCode() == 200 ? read(r.body()) : readLeniently(r.body());
        return new TriggerAnswer(r.statusCode(), r.statusCode() == 200
                ? Optional.of(answer.at("/data/run/run_id").asText()) : Optional.empty(),
                r.headers().firstValue("Retry-After"), answer.path("message").asText(""));
    }

    /** A status read's answer: the run's status, its {@code completed_at} if set, and when it arrived (epoch ms). */
    record StatusAnswer(int httpStatus, String status, Optional<Instant> completedAt, long arrivedEpochMillis) {
    }

    /** {@code GET runs/{id}?wait_seconds=N&status=S}: answers once the status is not S, or N s passed. */
    StatusAnswer awaitStatus(String token, String runId, int waitSeconds, String lastSeen) {
        HttpResponse<String> r = send("GET", gateway + "/api/agent-webhooks/runs/" + runId + "?wait_seconds="
                + waitSeconds + "&status=" + lastSeen, token, null);
        long arrived = System.currentTimeMillis();
        if (r.statusCode() != 200) {
            return new StatusAnswer(r.statusCode(), "", Optional.empty(), arrived);
        }
        JsonNode run = read(r.body()).at("/data/run");
        JsonNode completed = run.path("completed_at");
        return new StatusAnswer(200, run.path("status").asText(), completed.isTextual()
                ? Optional.of(Instant.parse(completed.asText())) : Optional.empty(), arrived);
    }

    boolean purchase(String token, String productId, JsonNode parameters) {
        return send("POST", gateway + "/products/purchase", token, Map.of("product_id", productId,
                "parameters", parameters)).statusCode() == 200;
    }

    long balance(String token) {
        return Long.parseLong(field(send("GET", gateway + "/credits/balance", token, null), 200, "/data/balance"));
    }

    /** An admin grant, once per idempotency key. */
    void grant(String adminToken, String userId, long credits, String idempotencyKey) {
        HttpRequest.Builder request = builder("POST", gateway + "/admin/credits/grants", adminToken,
                Map.of("user_id", userId, "amount_credits", credits, "credit_type", "admin_grant"))
                .header("Idempotency-Key", idempotencyKey);
        HttpResponse<String> r = send(request);
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("granting credits answered " + r.statusCode() + ": " + r.body());
        }
    }

    private HttpResponse<String> send(String method, String url, String token, Object body) {
        return send(builder(method, url, token, body));
    }

    private HttpRequest.Builder builder(String method, String url, String token, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            return b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String field(HttpResponse<String> r, int expected, String pointer) {
        if (r.statusCode() != expected) {
            throw new IllegalStateException(r.request().method() + " " + r.request().uri() + " answered "
                    + r.statusCode() + ": " + r.body());
        }
        return read(r.body()).at(pointer).asText();
    }

    /** An error answer's body; nothing (a missing node) when it is not JSON, so that its status still counts. */
    private static JsonNode readLeniently(String body) {
        try {
            return JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
