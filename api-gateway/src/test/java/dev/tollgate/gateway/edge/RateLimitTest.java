package dev.tollgate.gateway.edge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tollgate.gateway.support.StubUpstreams;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** Tiny limits so the buckets run dry within a test: 3 per token, 8 per address, refilled at one a second. */
@QuarkusTest
@TestProfile(RateLimitTest.TinyLimits.class)
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(StubUpstreams.class)
class RateLimitTest {

    public static class TinyLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.gateway.rate-limits.per-token.requests-per-second", "1",
                    "tollgate.gateway.rate-limits.per-token.burst", "3",
                    "tollgate.gateway.rate-limits.per-ip.requests-per-second", "1",
                    "tollgate.gateway.rate-limits.per-ip.burst", "8");
        }
    }

    @Test
    void aTokenOverItsLimitGets429WithRetryAfterWhileOtherTokensAndTheAddressGoOn() {
        String greedy = TestTokens.user("greedy");
        List<Integer> statuses = new ArrayList<>();
        Response limited = null;
        long start = System.nanoTime();
        for (int i = 0; i < 20 && limited == null; i++) {
            Response r = given().auth().oauth2(greedy).get("/api/agent-webhooks/runs/r1");
            statuses.add(r.statusCode());
            limited = r.statusCode() == 429 ? r : null;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(limited != null, "the token's bucket ran dry: " + statuses);
        assertTrue(statuses.size() - 1 <= 3 + Math.ceil(seconds), "a burst of 3 plus one a second: " + statuses);
        assertEquals("rate_limited", limited.jsonPath().getString("error"));
        assertEquals(false, limited.jsonPath().getBoolean("success"), "the webhooks family's style");
        int retryAfter = Integer.parseInt(limited.getHeader("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "about a second: " + retryAfter);

        given().auth().oauth2(TestTokens.user("patient")).get("/credits/balance").then().statusCode(200);

        // The address's own bucket (8) runs dry too, for every path, with or without a token.
        List<Integer> more = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            more.add(given().contentType("application/json").body("{\"api_key\":\"guess-" + i + "\"}")
                    .post("/auth/token").statusCode());
        }
        assertTrue(more.contains(429), "key guessing is slowed down: " + more);
        given().port(dev.tollgate.gateway.support.Management.port()).get("/q/health/live").then()
                .statusCode(200);
        given().get("/health").then().statusCode(200).body("status", equalTo("ok"));
    }
}
