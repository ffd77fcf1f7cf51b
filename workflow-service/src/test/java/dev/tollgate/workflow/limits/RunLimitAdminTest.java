package dev.tollgate.workflow.limits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import dev.tollgate.workflow.outbox.RunTopics;
import dev.tollgate.workflow.runs.KafkaEvents;
import dev.tollgate.workflow.support.CatalogServiceResource;
import dev.tollgate.workflow.support.Fixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/** A budget's run limit: set, read and reset by an admin, and carried by the budget's run requests to the workers. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
class RunLimitAdminTest {

    @Test
    void anAdminSetsReadsAndResetsABudgetsLimit() {
        String budget = new ObjectId().toHexString();
        given().auth().oauth2(Fixtures.ADMIN).get("/admin/run-limits/" + budget).then().statusCode(200)
                .body("success", equalTo(true)).body("data.limit.budget_id", equalTo(budget))
                .body("data.limit.max_concurrent_runs", equalTo(0))
                .body("data.limit.source", equalTo("platform_default"));
        given().auth().oauth2(Fixtures.ADMIN).contentType("application/json").body(Map.of("max_concurrent_runs", 3))
                .put("/admin/run-limits/" + budget).then().statusCode(200)
                .body("data.limit.max_concurrent_runs", equalTo(3)).body("data.limit.source", equalTo("budget"));
        given().auth().oauth2(Fixtures.ADMIN).get("/admin/run-limits/" + budget).then().statusCode(200)
                .body("data.limit.max_concurrent_runs", equalTo(3));
        given().auth().oauth2(Fixtures.ADMIN).delete("/admin/run-limits/" + budget).then().statusCode(200)
                .body("data.limit.max_concurrent_runs", equalTo(0))
                .body("data.limit.source", equalTo("platform_default"));
    }

    @Test
    void badLimitsAndBudgetIdsAre400sAndOnlyAdminsMaySetThem() {
        String budget = new ObjectId().toHexString();
        for (String body : List.of("{\"max_concurrent_runs\":-1}", "{\"max_concurrent_runs\":10001}",
                "{\"max_concurrent_runs\":\"3\"}", "{\"max_concurrent_runs\":1.5}", "{}")) {
            given().auth().oauth2(Fixtures.ADMIN).contentType("application/json").body(body)
                    .put("/admin/run-limits/" + budget).then().statusCode(400).body("success", equalTo(false))
                    .body("error", equalTo("invalid_run_limit"));
        }
        given().auth().oauth2(Fixtures.ADMIN).get("/admin/run-limits/not-a-budget").then().statusCode(400)
                .body("error", equalTo("invalid_budget_id"));
        given().auth().oauth2(TestTokens.user("alice")).contentType("application/json")
                .body(Map.of("max_concurrent_runs", 1)).put("/admin/run-limits/" + budget).then().statusCode(403);
        given().contentType("application/json").body(Map.of("max_concurrent_runs", 1))
                .put("/admin/run-limits/" + budget).then().statusCode(401);
    }

    @Test
    void aRunRequestCarriesItsBudgetAndTheLimitThatAppliedWhenItWasTriggered() {
        String workflow = Fixtures.templateWorkflow(List.of());
        Fixtures.User user = Fixtures.user(workflow);
        given().auth().oauth2(Fixtures.ADMIN).contentType("application/json").body(Map.of("max_concurrent_runs", 2))
                .put("/admin/run-limits/" + user.budgetId()).then().statusCode(200);
        String runId = Fixtures.trigger(user, workflow, Map.of("prompt", "limited")).toHexString();
        Map<String, String> headers = KafkaEvents.requestHeaders(runId);
        assertEquals(user.budgetId(), headers.get(RunTopics.BUDGET_HEADER));
        assertEquals("2", headers.get(RunTopics.BUDGET_LIMIT_HEADER));
    }
}
