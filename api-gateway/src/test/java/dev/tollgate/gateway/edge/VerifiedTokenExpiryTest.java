package dev.tollgate.gateway.edge;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import dev.tollgate.gateway.support.StubUpstreams;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A token whose verification the edge cached is refused once it expires, although the cache entry was made to last
 * longer (TTL 10 minutes here). The verifier's clock-skew grace (60 s by default) is cut to its minimum, one second,
 * so the test need not wait a minute past exp for full verification to refuse the token too.
 */
@QuarkusTest
@TestProfile(VerifiedTokenExpiryTest.NoSkew.class)
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(StubUpstreams.class)
class VerifiedTokenExpiryTest {

    public static class NoSkew implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.jwt.verify.clock.skew", "1", "tollgate.gateway.tokens.verified-cache.ttl", "PT10M");
        }
    }

    @Inject
    EdgeAuthenticator authenticator;

    @Inject
    JWTParser parser;

    @Test
    void anExpiredTokenIsRefusedEvenThoughItsVerificationWasCached() throws Exception {
        String token = TestTokens.token("short-lived", "budget-short-lived", Set.of("user"), Duration.ofSeconds(5),
                TestTokens.signingKey());
        long exp = parser.parse(token).getExpirationTime();

        given().auth().oauth2(token).get("/credits/balance").then().statusCode(200)
                .body("upstream", equalTo("credits"));
        assertTrue(authenticator.remembers(token), "the first request cached the verification");

        await().atMost(Duration.ofSeconds(15)).until(() -> Instant.now().getEpochSecond() >= exp + 2);
        given().auth().oauth2(token).get("/credits/balance").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer");
    }

    @Test
    void aRepeatedTokenIsServedFromTheCacheAndAnExpiredOneStillRefused() {
        String token = TestTokens.user("repeat-caller");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).get("/credits/balance").then().statusCode(200);
        }
        assertTrue(authenticator.remembers(token));
        given().auth().oauth2(TestTokens.expired("repeat-caller")).get("/credits/balance").then().statusCode(401);
    }
}
