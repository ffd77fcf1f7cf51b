package dev.tollgate.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.gateway.support.StubUpstreams;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The gateway in front of stand-in services: who gets which path, and what passes through unchanged. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(StubUpstreams.class)
class RoutingTest {

    static final String ALICE = TestTokens.user("alice");

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "GET, /credits/balance, credits",
            "GET, /credits/history, credits",
            "POST, /admin/credits/grants, credits",
            "GET, /products/fetch, catalog",
            "POST, /products/purchase, catalog",
            "POST, /issues/report, catalog",
            "GET, /bundles/b1, catalog",
            "GET, /admin/products, catalog",
            "PUT, /admin/budgets/b1/products/p1, catalog",
            "GET, /admin/bundles, catalog",
            "GET, /admin/issues, catalog",
            "GET, /admin/approval-requests, catalog",
            "POST, /api/agent-webhooks/wf1/trigger, workflow",
            "GET, /api/agent-webhooks/runs/r1, workflow",
            "POST, /api/agent-webhooks/runs/r1/cancel, workflow",
            "GET, /admin/workflows, workflow",
            "PUT, /admin/run-limits/665f1c0a9b1e8a3d2c4b5a69, workflow",
            "GET, /api/agent-webhooks/signing-secret, callback",
            "POST, /api/agent-webhooks/signing-secret/rotate, callback",
            "GET, /admin/callbacks/r1, callback",
    })
    void everyPublicPathReachesItsOwningService(String method, String path, String upstream) {
        given().auth().oauth2(ALICE).contentType(ContentType.JSON).body("{}").request(method, path)
                .then().statusCode(200)
                .body("upstream", equalTo(upstream))
                .body("path", equalTo(path))
                .body("method", equalTo(method));
    }

    @Test
    void requestsPassThroughUnchanged() {
        given().auth().oauth2(ALICE)
                .header("x-instance-id", "inst_1").header("X-Page", "2").header("x-instance-metadata", "{\"a\":1}")
                .queryParam("page", "2").queryParam("page_size", "10")
                .contentType(ContentType.JSON).body("{\"product_id\":\"p1\",\"parameters\":{\"action\":\"go\"}}")
                .post("/products/purchase")
                .then().statusCode(200)
                .body("query", equalTo("page=2&page_size=10"))
                .body("body", equalTo("{\"product_id\":\"p1\",\"parameters\":{\"action\":\"go\"}}"))
                .body("headers.authorization", equalTo("Bearer " + ALICE))
                .body("headers.x-instance-id", equalTo("inst_1"))
                .body("headers.x-page", equalTo("2"))
                .body("headers.x-instance-metadata", equalTo("{\"a\":1}"))
                .body("headers.x-request-id", not(nullValue()));
    }

    @Test
    void responsesPassThroughUnchanged() {
        given().auth().oauth2(ALICE).get("/products/fetch/accepted").then().statusCode(202)
                .header("x-instance-id", "inst_42").header("X-Page", "3").header("X-Page-Size", "25");
        given().auth().oauth2(ALICE).get("/credits/busy").then().statusCode(429).header("Retry-After", "7");
    }

    @Test
    void internalPathsAreNotReachable() {
        given().auth().oauth2(TestTokens.service("catalog-service")).get("/internal/products/p1").then().statusCode(404);
        given().auth().oauth2(ALICE).get("/internal/credits/accounts/alice/holds").then().statusCode(404);
        given().auth().oauth2(ALICE).get("/credits/../internal/products/p1").then().statusCode(404);
    }

    @Test
    void aMissingOrBadTokenStopsAtTheEdgeInThePathsErrorStyle() {
        given().get("/credits/balance").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("detail", not(nullValue()));
        given().auth().oauth2(TestTokens.expired("alice")).get("/products/fetch").then().statusCode(401)
                .body("detail", not(nullValue()));
        given().auth().oauth2(TestTokens.signedByAnotherKey("alice")).get("/api/agent-webhooks/runs/r1").then()
                .statusCode(401)
                .body("success", equalTo(false)).body("error", equalTo("unauthorized")).body("message", not(nullValue()));
        given().header("Authorization", "Basic YWxpY2U6c2VjcmV0").get("/admin/callbacks").then().statusCode(401)
                .body("error", equalTo("unauthorized"));
    }

    @Test
    void aRequestIdIsMadeOrKeptAndReachesTheService() {
        String made = given().auth().oauth2(ALICE).get("/credits/balance").then().statusCode(200)
                .extract().header("X-Request-Id");
        assertTrue(made != null && made.length() >= 16, made);
        given().auth().oauth2(ALICE).header("X-Request-Id", "client-req-123").get("/credits/balance").then()
                .header("X-Request-Id", "client-req-123").body("headers.x-request-id", equalTo("client-req-123"));
        String replaced = given().auth().oauth2(ALICE).header("X-Request-Id", "bad id\nwith newline")
                .get("/credits/balance").then().extract().header("X-Request-Id");
        assertTrue(!replaced.contains(" ") && !replaced.contains("\n"), replaced);
    }

    @Test
    void anOversizedBodyIsRefusedAtTheEdge() {
        byte[] big = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) 'a');
        given().auth().oauth2(ALICE).contentType(ContentType.JSON).body(big).post("/issues/report").then()
                .statusCode(413).body("error", equalTo("payload_too_large"));
        given().auth().oauth2(ALICE).contentType(ContentType.JSON).body(big).post("/api/agent-webhooks/wf/trigger")
                .then().statusCode(413).body("success", equalTo(false)).body("error", equalTo("payload_too_large"));
    }

    @Test
    void securityHeadersAndNoStrayCors() {
        given().auth().oauth2(ALICE).header("Origin", "https://evil.example").get("/credits/balance").then()
                .statusCode(200)
                .header("X-Content-Type-Options", "nosniff")
                .header("Access-Control-Allow-Origin", nullValue());
        given().auth().oauth2(ALICE).get("/bundles/page.html").then().statusCode(200)
                .header("Content-Security-Policy", "frame-ancestors 'none'")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer");
    }

    @Test
    void theGatewaysOwnEndpointsStillAnswer() {
        given().get("/health").then().statusCode(200).body("status", equalTo("ok"));
        given().get("/public/jwt-public-key").then().statusCode(200).body("algorithm", equalTo("RS256"));
        assertEquals("alice", given().auth().oauth2(ALICE).get("/auth/me").then().statusCode(200)
                .extract().path("user_id"));
    }
}
