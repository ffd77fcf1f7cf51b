package dev.tollgate.credits.api;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import dev.tollgate.localstack.testing.TestTokens;
import io.restassured.response.Response;

/** The credits-service HTTP API as tests drive it: admin grants, internal holds, the user's own views. */
public final class LedgerClient {

    private static final String ADMIN = TestTokens.admin("test-admin");
    private static final String SERVICE = TestTokens.service("catalog-service");

    private LedgerClient() {
    }

    public static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    public static Response grant(String userId, long credits, String expiresAt) {
        return grant(userId, credits, expiresAt, UUID.randomUUID().toString());
    }

    public static Response grant(String userId, long credits, String expiresAt, String idempotencyKey) {
        Map<String, Object> body = new HashMap<>();
        body.put("user_id", userId);
        body.put("amount_credits", credits);
        body.put("credit_type", "admin_grant");
        if (expiresAt != null) {
            body.put("expires_at", expiresAt);
        }
        return given().auth().oauth2(ADMIN).header("Idempotency-Key", idempotencyKey).contentType("application/json")
                .body(body).post("/admin/credits/grants");
    }

    public static Response revoke(String grantId, Long credits, String idempotencyKey) {
        var request = given().auth().oauth2(ADMIN).header("Idempotency-Key", idempotencyKey)
                .contentType("application/json");
        if (credits != null) {
            request.body(Map.of("amount_credits", credits));
        }
        return request.post("/admin/credits/grants/" + grantId + "/revoke");
    }

    /** A revocation whose body is exactly {@code rawBody}, sent as JSON. */
    public static Response revokeRaw(String grantId, String rawBody, String idempotencyKey) {
        return given().auth().oauth2(ADMIN).header("Idempotency-Key", idempotencyKey).contentType("application/json")
                .body(rawBody).post("/admin/credits/grants/" + grantId + "/revoke");
    }

    public static Response hold(String userId, String holdId, long credits) {
        return hold(userId, Map.of("hold_id", holdId, "amount_credits", credits));
    }

    public static Response hold(String userId, Map<String, Object> body) {
        return given().auth().oauth2(SERVICE).contentType("application/json").body(body)
                .post("/internal/credits/accounts/" + userId + "/holds");
    }

    public static Response capture(String userId, String holdId) {
        return given().auth().oauth2(SERVICE).contentType("application/json")
                .post("/internal/credits/accounts/" + userId + "/holds/" + holdId + "/capture");
    }

    public static Response release(String userId, String holdId) {
        return given().auth().oauth2(SERVICE).contentType("application/json")
                .post("/internal/credits/accounts/" + userId + "/holds/" + holdId + "/release");
    }

    public static long balance(String userId) {
        return given().auth().oauth2(TestTokens.user(userId)).get("/credits/balance").then().statusCode(200)
                .extract().jsonPath().getLong("data.balance");
    }
}
