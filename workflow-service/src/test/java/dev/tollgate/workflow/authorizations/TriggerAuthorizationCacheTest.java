package dev.tollgate.workflow.authorizations;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.PrometheusText;
import dev.tollgate.workflow.support.CatalogServiceResource;
import dev.tollgate.workflow.support.Fixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/**
 * Triggers against the real catalog-service, counting its authorization calls through its own request metrics: a
 * second trigger within the TTL does not ask, one after the TTL does; a blocked answer is never reused; a workflow
 * removed from a budget stays triggerable for at most the TTL; a definition changed through this service's admin API
 * is used (and authorized) at once.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
@TestProfile(TriggerAuthorizationCacheTest.ThreeSecondTtl.class)
class TriggerAuthorizationCacheTest {

    static final Duration TTL = Duration.ofSeconds(3);

    public static class ThreeSecondTtl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.workflow.authorizations.cache-ttl", "PT3S");
        }
    }

    @Test
    void aSecondTriggerWithinTheTtlDoesNotAskTheCatalogAndOneAfterItDoes() {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        long before = authorizationCalls();

        Instant asked = Instant.now();
        trigger(u, wf).statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> authorizationCalls() == before + 1); // the first asks
        trigger(u, wf).statusCode(200);
        trigger(u, wf).statusCode(200);
        assertTrue(Duration.between(asked, Instant.now()).compareTo(TTL) < 0, "the machine was too slow to tell");
        assertEquals(before + 1, authorizationCalls(), "triggers within the TTL reuse the allowed answer");

        // Trigger until the catalog is asked again: that happens, and not before the TTL ran out.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> {
            trigger(u, wf).statusCode(200);
            return authorizationCalls() == before + 2;
        });
        assertTrue(Duration.between(asked, Instant.now()).compareTo(TTL) >= 0, "asked again only after the TTL");
    }

    @Test
    void aBlockedAnswerIsNotReusedSoAnApprovalAppliesAtOnce() {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(); // the workflow is not on the budget
        long before = authorizationCalls();
        trigger(u, wf).statusCode(409).body("error", equalTo("workflow_not_on_budget"));
        trigger(u, wf).statusCode(409).body("error", equalTo("workflow_not_on_budget"));
        // A blocked trigger always asks (and gets its approval request).
        await().atMost(Duration.ofSeconds(5)).until(() -> authorizationCalls() == before + 2);

        budgetWorkflow("PUT", u, wf);
        trigger(u, wf).statusCode(200);
    }

    @Test
    void aWorkflowRemovedFromTheBudgetIsRefusedOnceTheTtlRanOut() {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        trigger(u, wf).statusCode(200);
        Instant allowedAt = Instant.now();

        budgetWorkflow("DELETE", u, wf);
        // The documented staleness: within the TTL the answer given before the removal still holds.
        trigger(u, wf).statusCode(200);
        assertTrue(Duration.between(allowedAt, Instant.now()).compareTo(TTL) < 0, "the machine was too slow to tell");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> trigger(u, wf).extract().statusCode() == 409);
        Duration stale = Duration.between(allowedAt, Instant.now());
        assertTrue(stale.compareTo(TTL.plusSeconds(2)) < 0, "refused within about the TTL, after " + stale);
    }

    @Test
    void aDefinitionChangedHereIsUsedAndAuthorizedAtOnce() {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        trigger(u, wf).statusCode(200);

        given().auth().oauth2(Fixtures.ADMIN).contentType("application/json")
                .body(Map.of("name", "echo v2", "required_credentials", List.of("github_token"), "steps",
                        List.of(Map.of("id", "answer", "type", "template", "template", "v2: {prompt}"))))
                .put("/admin/workflows/" + wf).then().statusCode(200);

        trigger(u, wf).statusCode(409).body("error", equalTo("missing_credentials"));
        given().auth().oauth2(Fixtures.ADMIN).contentType("application/json")
                .body(Map.of("name", "echo v3", "steps",
                        List.of(Map.of("id", "answer", "type", "template", "template", "v3: {prompt}"))))
                .put("/admin/workflows/" + wf).then().statusCode(200);
        String runId = trigger(u, wf).statusCode(200).extract().path("data.run.run_id");
        given().auth().oauth2(u.token()).get("/api/agent-webhooks/runs/" + runId).then().statusCode(200)
                .body("data.run.run_metadata.workflow_name", equalTo("echo v3"));
    }

    private static ValidatableResponse trigger(Fixtures.User u, String workflowId) {
        return given().auth().oauth2(u.token()).contentType("application/json").body(Map.of("prompt", "x"))
                .post("/api/agent-webhooks/" + workflowId + "/trigger").then();
    }

    private static void budgetWorkflow(String method, Fixtures.User u, String workflowId) {
        given().baseUri(CatalogServiceResource.catalog().baseUrl()).auth().oauth2(Fixtures.ADMIN)
                .request(method, "/admin/budgets/" + u.budgetId() + "/workflows/" + workflowId).then().statusCode(200);
    }

    /** catalog-service's count of answered {@code POST /internal/workflow-authorizations}, from its metrics. */
    static long authorizationCalls() {
        String metrics = given().baseUri(CatalogServiceResource.catalog().baseUrl()).get("/q/metrics").then()
                .statusCode(200).extract().asString();
        return (long) PrometheusText.sum(metrics, "http_server_requests_seconds_count",
                "uri=\"/internal/workflow-authorizations\"");
    }
}
