package dev.tollgate.callback.platform;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.LogCapture;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The request id the gateway assigns reaches this service's access log, in the JSON line's fields. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class AccessLogTest {

    @Test
    void theAccessLogCarriesTheRequestId() {
        try (LogCapture log = LogCapture.of("io.quarkus.http.access-log")) {
            given().auth().oauth2(TestTokens.user("u-log")).header("X-Request-Id", "req-from-gateway-1")
                    .get("/api/agent-webhooks/signing-secret").then().statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> log.messages().stream()
                    .anyMatch(l -> l.contains("\"request_id\":\"req-from-gateway-1\"")));
            String line = log.messages().stream().filter(l -> l.contains("req-from-gateway-1")).findFirst().orElseThrow();
            assertTrue(line.contains("\"path\":\"/api/agent-webhooks/signing-secret\"") && line.contains("\"status\":200"),
                    line);
        }
    }
}
