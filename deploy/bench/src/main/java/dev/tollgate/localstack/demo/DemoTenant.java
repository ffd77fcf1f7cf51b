package dev.tollgate.localstack.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;

/**
 * Seeds the demo tenant of the local platform through the gateway's admin API, idempotently: what a previous run
 * made (remembered in {@code <data>/demo-tenant.json}) is reused while it still exists, so restarts keep the same
 * keys and ids. Writes {@code <run>/stack.json} with what a newcomer (or a test, or the benchmark) needs.
 *
 * <p>Usage: {@code DemoTenant <gateway url> <keys dir> <data dir> <run dir>}. The bootstrap admin token is signed
 * with the local stack's private key (it exists only on this machine); everything after that uses API keys.
 */
public final class DemoTenant {

    static final String USER = "demo-user";
    static final String SECOND_USER = "demo-user-2";
    static final String ADMIN = "demo-admin";
    static final long CREDITS = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String gateway;
    private final String adminToken;

    DemoTenant(String gateway, String adminToken) {
        this.gateway = gateway;
        this.adminToken = adminToken;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: DemoTenant <gateway url> <keys dir> <data dir> <run dir>");
            System.exit(2);
        }
        String gateway = args[0];
        Path keys = Path.of(args[1]);
        Path stateFile = Path.of(args[2]).resolve("demo-tenant.json");
        Path stackFile = Path.of(args[3]).resolve("stack.json");
        DemoTenant seeder = new DemoTenant(gateway, bootstrapAdminToken(keys.resolve("private.pem")));
        ObjectNode state = Files.exists(stateFile) ? (ObjectNode) JSON.readTree(stateFile.toFile()) : null;
        if (state == null || !seeder.stillThere(state)) {
            state = seeder.create();
            Files.writeString(stateFile, JSON.writeValueAsString(state));
        }
        seeder.grantCredits();
        ObjectNode stack = state.deepCopy();
        stack.put("gateway_url", gateway);
        Files.createDirectories(stackFile.getParent());
        Files.writeString(stackFile, JSON.writeValueAsString(stack));
        System.out.println("demo tenant: " + stackFile);
        System.out.println("  api_key " + state.get("api_key").asText() + " (user " + USER + ", " + CREDITS
                + " credits), admin_key " + state.get("admin_key").asText());
        System.out.println("  workflow_id " + state.get("workflow_id").asText() + ", product_id "
                + state.get("product_id").asText());
    }

    /** Makes everything afresh (new slugs, so leftovers of a lost state file cannot collide). */
    ObjectNode create() throws IOException, InterruptedException {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        String textStats = id(post("/admin/products", Map.of("slug", "demo-text-stats-" + tag,
                "name", "demo_text_stats_" + tag, "display_name", "Text statistics",
                "description", "Counts characters, words and sentences of a text",
                "price_credits", 5, "invocation", Map.of("type", "builtin", "tool", "text_stats"))), "/data/product/product_id");
        String wait = id(post("/admin/products", Map.of("slug", "demo-wait-" + tag, "name", "demo_wait_" + tag,
                "display_name", "Wait", "description", "Waits a few seconds", "price_credits", 0,
                "invocation", Map.of("type", "builtin", "tool", "wait"))), "/data/product/product_id");
        String quick = workflow("Echo", "Answers at once", List.of(Map.of("id", "answer", "type", "template",
                "template", "You said: {prompt}")));
        List<Map<String, Object>> slowSteps = new java.util.ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            slowSteps.add(Map.of("id", "pause" + i, "type", "tool", "product_id", wait, "action", "wait",
                    "parameters", Map.of("seconds", 2)));
        }
        slowSteps.add(Map.of("id", "answer", "type", "template", "template", "Done waiting for: {prompt}"));
        String slow = workflow("Slow", "Takes about twelve seconds (six two-second waits), so it can be cancelled",
                slowSteps);
        String blocked = workflow("Not on the demo budget", "Exists, but the demo budget does not enable it",
                List.of(Map.of("id", "answer", "type", "template", "template", "never")));

        String budget = id(post("/admin/budgets", Map.of("owner_user_id", USER, "name", "Demo")), "/data/budget_id");
        put("/admin/budgets/" + budget + "/products/" + textStats);
        put("/admin/budgets/" + budget + "/products/" + wait);
        put("/admin/budgets/" + budget + "/workflows/" + quick);
        put("/admin/budgets/" + budget + "/workflows/" + slow);
        String secondBudget = id(post("/admin/budgets", Map.of("owner_user_id", SECOND_USER, "name", "Demo 2")),
                "/data/budget_id");
        put("/admin/budgets/" + secondBudget + "/workflows/" + quick);
        String adminBudget = id(post("/admin/budgets", Map.of("owner_user_id", ADMIN, "name", "Demo admin")),
                "/data/budget_id");
        String bundle = id(post("/admin/bundles", Map.of("name", "Demo bundle",
                "description", "The demo tools and workflows", "product_ids", List.of(textStats),
                "workflow_ids", List.of(quick, slow))), "/data/bundle/bundle_id");

        ObjectNode state = JSON.createObjectNode();
        state.put("api_key", id(post("/admin/budgets/" + budget + "/api-keys", Map.of("label", "demo")), "/data/api_key"));
        state.put("second_api_key", id(post("/admin/budgets/" + secondBudget + "/api-keys", Map.of("label", "demo 2")),
                "/data/api_key"));
        state.put("admin_key", id(post("/admin/budgets/" + adminBudget + "/api-keys",
                Map.of("label", "demo admin", "roles", List.of("user", "admin"))), "/data/api_key"));
        state.put("user_id", USER);
        state.put("second_user_id", SECOND_USER);
        state.put("budget_id", budget);
        state.put("workflow_id", quick);
        state.put("slow_workflow_id", slow);
        state.put("blocked_workflow_id", blocked);
        state.put("product_id", textStats);
        state.set("product_parameters", JSON.valueToTree(Map.of("action", "analyze",
                "text", "Tollgate meters tool calls. Agents pay in credits!")));
        state.put("product_price_credits", 5);
        state.put("wait_product_id", wait);
        state.put("bundle_id", bundle);
        return state;
    }

    /** Whether what the state file names still exists and its keys still work. */
    boolean stillThere(JsonNode state) throws IOException, InterruptedException {
        for (String path : List.of("/admin/products/" + state.path("product_id").asText(),
                "/admin/workflows/" + state.path("workflow_id").asText(),
                "/admin/workflows/" + state.path("slow_workflow_id").asText(),
                "/admin/workflows/" + state.path("blocked_workflow_id").asText(),
                "/admin/budgets/" + state.path("budget_id").asText(),
                "/bundles/" + state.path("bundle_id").asText())) {
            if (send(request(path).GET()).statusCode() != 200) {
                return false;
            }
        }
        for (String key : List.of("api_key", "second_api_key", "admin_key")) {
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(gateway + "/auth/token"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("api_key",
                            state.path(key).asText()))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (token.statusCode() != 200) {
                return false;
            }
        }
        return true;
    }

    /** 10,000 credits for the demo user, once: the grant's idempotency key makes a rerun a no-op. */
    void grantCredits() throws IOException, InterruptedException {
        for (String user : List.of(USER, SECOND_USER)) {
            HttpResponse<String> r = send(request("/admin/credits/grants").header("Idempotency-Key", "demo-grant-" + user)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("user_id", user,
                            "amount_credits", CREDITS, "credit_type", "admin_grant")))));
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("granting credits to " + user + " failed: " + r.statusCode() + " "
                        + r.body());
            }
        }
    }

    private String workflow(String name, String description, List<Map<String, Object>> steps)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", description);
        body.put("steps", steps);
        return id(post("/admin/workflows", body), "/data/workflow/workflow_id");
    }

    private JsonNode post(String path, Object body) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private void put(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request(path).PUT(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT " + path + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String id(JsonNode answer, String pointer) {
        JsonNode id = answer.at(pointer);
        if (id.isMissingNode() || id.isNull()) {
            throw new IllegalStateException("no " + pointer + " in " + answer);
        }
        return id.asText();
    }

    /** A ten-minute admin token signed with this machine's platform key: only to create the first API keys. */
    static String bootstrapAdminToken(Path privateKeyPem) throws Exception {
        String pem = Files.readString(privateKeyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                .decode(pem)));
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("tollgate");
        claims.setAudience("tollgate");
        claims.setSubject(ADMIN);
        claims.setStringListClaim("groups", List.of("user", "admin"));
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }
}
