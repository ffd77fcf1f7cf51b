package dev.tollgate.e2e.hostile;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.localstack.launcher.LocalPlatform;
import dev.tollgate.localstack.testing.TestTokens;
import io.restassured.http.ContentType;

/**
 * One platform as {@code deploy/local/up} starts it, shared by the hostile-caller tests ({@link HostileCallersTest}:
 * the authorization matrix and the fuzz test): the demo tenant's principals, and a resource of each kind owned by its user. The
 * gateway's rate limits are lifted, so that what the tests meet is each operation's own answer, not a 429.
 */
final class HostilePlatform {

    /** Who calls. */
    enum Caller {
        /** No Authorization header. */
        NONE,
        /** A valid user token for someone with no budget. */
        USER,
        /** The demo's second user: a budget of their own, not the resources'. */
        OTHER_USER,
        /** The demo user, who owns the budget, the runs and the issue reports used. */
        OWNER,
        /** An administrator. */
        ADMIN,
        /** A service token (role {@code service} only), as services call each other's internal APIs. */
        SERVICE
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static HostilePlatform shared;

    final LocalPlatform platform;
    final JsonNode stack;
    final String gateway;
    final Map<Caller, String> tokens = new EnumMap<>(Caller.class);
    final String runId;
    /** A run of the owner's with a callback (to a closed loopback port: its delivery exists and keeps failing). */
    final String calledBackRunId;
    final String approvalRequestId;
    final String issueId;
    final String grantId;
    final String spareProductId;

    /** Starts the platform (HostileCallersTest's @BeforeAll). */
    static synchronized HostilePlatform start() {
        try {
            shared = new HostilePlatform(Files.createTempDirectory("tollgate-hostile"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return shared;
    }

    /** The platform HostileCallersTest started, for its nested tests. */
    static synchronized HostilePlatform current() {
        if (shared == null) {
            throw new IllegalStateException("run these through HostileCallersTest, which starts the platform");
        }
        return shared;
    }

    /** Stops it (HostileCallersTest's @AfterAll): the e2e tests after it get the machine to themselves. */
    static synchronized void stop() {
        if (shared != null) {
            shared.platform.down();
            shared = null;
        }
    }

    private HostilePlatform(Path workDir) throws IOException {
        platform = new LocalPlatform(Path.of(System.getProperty("tollgate.root", "..")), workDir, Map.of(
                "TOLLGATE_GATEWAY_RATE_LIMITS_PER_IP_REQUESTS_PER_SECOND", "100000",
                "TOLLGATE_GATEWAY_RATE_LIMITS_PER_IP_BURST", "100000",
                "TOLLGATE_GATEWAY_RATE_LIMITS_PER_TOKEN_REQUESTS_PER_SECOND", "100000",
                "TOLLGATE_GATEWAY_RATE_LIMITS_PER_TOKEN_BURST", "100000"));
        LocalPlatform.Result up = platform.up();
        if (up.exitCode() != 0) {
            throw new IllegalStateException("deploy/local/up failed:\n" + up.output());
        }
        stack = JSON.readTree(Files.readString(platform.runDir.resolve("stack.json")));
        gateway = stack.get("gateway_url").asText();
        PrivateKey key = TestTokens.readPrivateKey(platform.privateKey());
        tokens.put(Caller.USER, TestTokens.token("stranger-" + UUID.randomUUID(), null, Set.of("user"),
                Duration.ofHours(2), key));
        tokens.put(Caller.OTHER_USER, exchange(stack.get("second_api_key").asText()));
        tokens.put(Caller.OWNER, exchange(stack.get("api_key").asText()));
        tokens.put(Caller.ADMIN, exchange(stack.get("admin_key").asText()));
        tokens.put(Caller.SERVICE, TestTokens.token("hostile-service", null, Set.of("service"), Duration.ofHours(2), key));

        runId = text(post(Caller.OWNER, "/api/agent-webhooks/" + stack.get("workflow_id").asText() + "/trigger",
                Map.of("prompt", "hello")), "run_id");
        // Over before the matrix cancels it (a cancel of a finished run is its 409 row), whichever test runs first.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !Set.of("queued", "running")
                .contains(String.valueOf(find(JSON.readTree(given().auth().oauth2(tokens.get(Caller.OWNER))
                        .get(gateway + "/api/agent-webhooks/runs/" + runId).asString()), "status"))));
        calledBackRunId = text(post(Caller.OWNER, "/api/agent-webhooks/" + stack.get("workflow_id").asText()
                + "/trigger", Map.of("prompt", "hello", "callback_url", "http://127.0.0.1:9/hook")), "run_id");
        approvalRequestId = text(post(Caller.OWNER, "/api/agent-webhooks/" + stack.get("blocked_workflow_id").asText()
                + "/trigger", Map.of("prompt", "hello")), "workflow_request_id");
        issueId = text(post(Caller.OWNER, "/issues/report", Map.of("product_id", stack.get("product_id").asText(),
                "error_message", "it broke")), "issue_id");
        JsonNode grant = JSON.readTree(given().auth().oauth2(tokens.get(Caller.ADMIN)).contentType(ContentType.JSON)
                .header("Idempotency-Key", "hostile-" + UUID.randomUUID())
                .body(Map.of("user_id", stack.get("user_id").asText(), "amount_credits", 50, "credit_type", "admin_grant"))
                .post(gateway + "/admin/credits/grants").asString());
        grantId = text(grant.path("data").path("grant"), "_id");
        spareProductId = text(post(Caller.ADMIN, "/admin/products", Map.of("slug", "spare-" + UUID.randomUUID(),
                "name", "spare_" + UUID.randomUUID().toString().substring(0, 8), "display_name", "Spare",
                "description", "retired by the matrix", "price_credits", 1,
                "invocation", Map.of("type", "builtin", "tool", "wait"))), "product_id");
    }

    String exchange(String apiKey) {
        return given().contentType(ContentType.JSON).body(Map.of("api_key", apiKey)).post(gateway + "/auth/token")
                .then().statusCode(200).extract().path("access_token");
    }

    JsonNode post(Caller caller, String path, Object body) {
        try {
            return JSON.readTree(given().auth().oauth2(tokens.get(caller)).contentType(ContentType.JSON).body(body)
                    .post(gateway + path).asString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(JsonNode answer, String field) {
        String value = find(answer, field);
        if (value == null) {
            throw new IllegalStateException("no " + field + " in " + answer);
        }
        return value;
    }

    /** The first textual {@code field} anywhere in {@code node}. */
    static String find(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            if (node.path(field).isTextual()) {
                return node.get(field).asText();
            }
            for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
                String found = find(it.next(), field);
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                String found = find(element, field);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
