package dev.tollgate.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import dev.tollgate.gateway.support.StubUpstreams;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A service that stops answering is given up on in the time its route deserves: a trigger (answered in milliseconds
 * when the service is well) after the short timeout, not the long one purchases and waiting reads get
 * ({@link UpstreamTimeoutsTest} tells the routes apart).
 */
@QuarkusTest
@TestProfile(UpstreamTimeoutTest.ShortTimeouts.class)
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(StubUpstreams.class)
class UpstreamTimeoutTest {

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.gateway.proxy.answer-timeout", "PT1S",
                    "tollgate.gateway.proxy.idle-timeout", "PT30S");
        }
    }

    @AfterEach
    void letEverythingGo() {
        StubUpstreams.letGo();
    }

    @Test
    void aHungServiceIsA504AfterTheShortTimeoutOnARouteThatShouldAnswerAtOnce() {
        StubUpstreams.holdRequests();
        long t0 = System.nanoTime();
        given().auth().oauth2(TestTokens.user("alice")).contentType("application/json").body("{\"prompt\":\"hi\"}")
                .post("/api/agent-webhooks/wf1/held").then().statusCode(504)
                .body("success", equalTo(false)).body("error", equalTo("upstream_timeout"));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        // At the short timeout, not the long one (loosely: a loaded machine answers late, never 30 s late).
        assertTrue(millis >= 900 && millis < 15_000, "answered after " + millis + " ms");
    }
}
