package dev.tollgate.gateway.edge;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.support.StubUpstreams;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.LogCapture;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(StubUpstreams.class)
class AccessLogTest {

    @Test
    void everyRequestIsOneJsonLineWithItsRequestId() throws Exception {
        try (LogCapture log = LogCapture.of(AccessLog.CATEGORY)) {
            given().auth().oauth2(TestTokens.user("logged")).header("X-Request-Id", "trace-me-42")
                    .get("/credits/balance").then().statusCode(200);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> log.messages().stream().anyMatch(l -> l.contains("trace-me-42")));
            JsonNode line = new ObjectMapper().readTree(log.messages().stream().filter(l -> l.contains("trace-me-42"))
                    .findFirst().orElseThrow());
            assertEquals("GET", line.get("method").asText());
            assertEquals("/credits/balance", line.get("path").asText());
            assertEquals(200, line.get("status").asInt());
            assertEquals("credits", line.get("upstream").asText());
            assertEquals("logged", line.get("user").asText());
        }
    }
}
