package dev.tollgate.gateway.embed;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.ServiceProcess;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** catalog-service and workflow-service not running at all: every embed page is a readable 503 page. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@TestProfile(EmbedServicesDownTest.NothingListening.class)
class EmbedServicesDownTest {

    /** Both services' URLs point at a loopback port that was free a moment ago: connections are refused. */
    public static class NothingListening implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String url = "http://127.0.0.1:" + ServiceProcess.freePort();
            return Map.of("quarkus.rest-client.embed-catalog.url", url, "quarkus.rest-client.embed-workflow.url", url);
        }
    }

    @Test
    void everyKindOfPageSaysTheServiceIsUnavailable() {
        for (String path : new String[] { "/embed/aaaaaaaaaaaaaaaaaaaaaaaa", "/embed/bundle/cccccccccccccccccccccccc",
                "/embed/product/text-stats" }) {
            given().get(path).then().statusCode(503)
                    .contentType(startsWith("text/html"))
                    .header("Retry-After", "10")
                    .header("Content-Security-Policy", containsString("frame-ancestors *"))
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "no-referrer")
                    .body(containsString("<h1 class=\"tg-problem-title\">Temporarily unavailable</h1>"))
                    .body(containsString("Try again"));
        }
    }

    @Test
    void theLoaderNeedsNoServiceAtAll() {
        given().get("/embed.js").then().statusCode(200).contentType(startsWith("text/javascript"));
    }
}
