package dev.tollgate.gateway.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import dev.tollgate.gateway.support.Management;
import dev.tollgate.gateway.support.StubUpstreams;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Issue 17 item 6: the gateway's request metrics name operations, not the ids in the paths callers sent. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(StubUpstreams.class)
class MetricsTagsTest {

    @Test
    void proxiedPathsAreTaggedByTheirOperationsTemplate() {
        String run = "run" + UUID.randomUUID().toString().replace("-", "");
        String budget = "budget" + UUID.randomUUID().toString().replace("-", "");
        String junk = "junk" + UUID.randomUUID().toString().replace("-", "");
        String alice = TestTokens.user("alice");
        given().auth().oauth2(alice).get("/api/agent-webhooks/runs/" + run).then().statusCode(200);
        given().auth().oauth2(alice).put("/admin/budgets/" + budget + "/products/p1").then().statusCode(200);
        given().get("/admin/budgets/" + junk + "/x/y").then().statusCode(401);
        given().get("/" + junk).then().statusCode(404);

        String metrics = Management.metrics();
        for (String id : new String[] { run, budget, junk }) {
            assertFalse(metrics.contains(id), id + " is in the metrics");
        }
        assertTrue(metrics.contains("uri=\"/api/agent-webhooks/runs/{runId}\""), metrics);
        assertTrue(metrics.contains("uri=\"/admin/budgets/{budgetId}/products/{productId}\""), metrics);
        // a path that names no operation, refused at the edge: its route's prefix
        assertTrue(metrics.contains("status=\"401\",uri=\"/admin/budgets/**\""), metrics);
        // Every uri value is a template, a route's prefix or one of Quarkus's names: never a path as sent.
        java.util.regex.Matcher uris = java.util.regex.Pattern.compile("uri=\"([^\"]*)\"").matcher(metrics);
        while (uris.find()) {
            String uri = uris.group(1);
            assertTrue(uri.contains("{") || uri.endsWith("/**") || !uri.matches(".*[0-9a-f]{16}.*"), uri);
        }
    }
}
