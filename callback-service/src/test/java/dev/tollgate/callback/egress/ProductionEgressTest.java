package dev.tollgate.callback.egress;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import dev.tollgate.callback.support.Receiver;
import dev.tollgate.callback.support.RunEvents;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/**
 * The service with production egress rules (https to public addresses only) against the real stack: callbacks to a
 * name resolving to 127.0.0.1 and to plain http are refused at once, never retried, and the receiver (which is
 * listening) never sees a request.
 */
@QuarkusTest
@TestProfile(ProductionEgressTest.ProductionEgress.class)
@WithTestResource(LocalStackTestResource.class)
class ProductionEgressTest {

    public static class ProductionEgress implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.callbacks.egress.allow-loopback-http", "false");
        }
    }

    @Test
    void loopbackNamesAndPlainHttpAreRefusedWithoutAnyRequest() {
        try (Receiver receiver = Receiver.start(); RunEvents events = new RunEvents(
                LocalStackTestResource.stack().kafkaBootstrap())) {
            String viaName = events.publish(RunEvents.endedRun("https://localhost:" + receiver.port() + "/hook",
                    "completed"), "u-ssrf");
            String viaHttp = events.publish(RunEvents.endedRun(receiver.url("/hook"), "completed"), "u-ssrf");
            String viaMetadata = events.publish(RunEvents.endedRun("https://169.254.169.254/latest/meta-data",
                    "completed"), "u-ssrf");

            assertBlocked(viaName, "local or internal host");
            assertBlocked(viaHttp, "must use https");
            assertBlocked(viaMetadata, "cloud metadata");
            assertEquals(0, receiver.at("/hook").size(), "no request ever left");
        }
    }

    private static void assertBlocked(String runId, String reason) {
        JsonPath delivery = await().atMost(Duration.ofSeconds(20)).until(
                () -> given().auth().oauth2(TestTokens.admin("ops")).get("/admin/callbacks/" + runId).then()
                        .extract().jsonPath(),
                d -> "failed".equals(d.getString("data.delivery.status")));
        assertEquals(1, delivery.getInt("data.delivery.attempts.size()"), "a refused URL is not retried");
        String error = delivery.getString("data.delivery.attempts[0].error");
        assertTrue(error.startsWith("blocked_address") && error.contains(reason), error);
    }
}
