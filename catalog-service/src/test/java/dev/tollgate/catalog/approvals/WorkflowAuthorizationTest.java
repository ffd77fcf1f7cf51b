package dev.tollgate.catalog.approvals;

import static dev.tollgate.catalog.support.Catalog.ADMIN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import dev.tollgate.catalog.support.Catalog;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class WorkflowAuthorizationTest {

    static final String SERVICE = TestTokens.service("workflow-service");

    @Test
    void blockersOpenRequestsOnceAndApprovingClearsThem() {
        Catalog.Customer c = Catalog.customer();
        Map<String, Object> ask = Map.of("budget_id", c.budgetId(), "workflow_id", "wf-reports",
                "required_credentials", List.of(Map.of("key", "github_token", "description", "GitHub PAT"), "slack_token"));

        JsonPath first = authorize(ask).body("data.allowed", equalTo(false))
                .body("data.blockers", equalTo(List.of("workflow_not_on_budget", "missing_credentials")))
                .body("data.credential_request_ids", hasSize(2))
                .body("data.missing_credentials[0].key", equalTo("github_token"))
                .body("data.missing_credentials[0].description", equalTo("GitHub PAT"))
                .extract().jsonPath();
        JsonPath again = authorize(ask).extract().jsonPath();
        assertEquals(first.getString("data.workflow_request_id"), again.getString("data.workflow_request_id"));
        assertEquals(first.getList("data.credential_request_ids"), again.getList("data.credential_request_ids"));

        // An admin approves adding the workflow; the owner provides each credential.
        // With a JSON null body, what a generated client sends for the optional body left out: the same as none.
        given().auth().oauth2(ADMIN).contentType("application/json").body("null")
                .post("/admin/approval-requests/" + first.getString("data.workflow_request_id") + "/approve").then()
                .statusCode(200).body("data.approval_request.status", equalTo("approved"));
        for (String id : first.getList("data.credential_request_ids", String.class)) {
            given().auth().oauth2(c.token()).contentType("application/json").body(Map.of("value", "secret-value-1"))
                    .post("/admin/approval-requests/" + id + "/approve").then().statusCode(200);
        }
        authorize(ask).body("data.allowed", equalTo(true)).body("data.blockers", hasSize(0));
        given().auth().oauth2(c.token()).get("/admin/approval-requests?budget_id=" + c.budgetId() + "&status=open")
                .then().statusCode(200).body("data.approval_requests", hasSize(0));
        // without the budget: a missing parameter (it answered "Budget not found")
        given().auth().oauth2(c.token()).get("/admin/approval-requests").then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("query", "budget_id")));
    }

    @Test
    void tenRacingAsksOpenExactlyOneRequest() {
        Catalog.Customer c = Catalog.customer();
        Map<String, Object> ask = Map.of("budget_id", c.budgetId(), "workflow_id", "wf-race");
        List<CompletableFuture<String>> racers = new ArrayList<>();
        IntStream.range(0, 10).forEach(i -> racers.add(CompletableFuture.supplyAsync(() ->
                authorize(ask).extract().path("data.workflow_request_id"))));
        Set<String> ids = Set.copyOf(racers.stream().map(CompletableFuture::join).toList());
        assertEquals(1, ids.size(), "one open request, whoever asked: " + ids);
    }

    @Test
    void onlyServicesAskAndOnlyOwnersOrAdminsApprove() {
        Catalog.Customer owner = Catalog.customer();
        Catalog.Customer other = Catalog.customer();
        given().auth().oauth2(owner.token()).contentType("application/json")
                .body(Map.of("budget_id", owner.budgetId(), "workflow_id", "w")).post("/internal/workflow-authorizations")
                .then().statusCode(403);
        String id = authorize(Map.of("budget_id", owner.budgetId(), "workflow_id", "w")).extract()
                .path("data.workflow_request_id");
        // Another budget's request reads exactly as one that does not exist.
        given().auth().oauth2(other.token()).post("/admin/approval-requests/" + id + "/approve").then().statusCode(404)
                .body("detail", equalTo("Approval request not found"));
        given().auth().oauth2(other.token()).post("/admin/approval-requests/" + new ObjectId().toHexString()
                + "/approve").then().statusCode(404).body("detail", equalTo("Approval request not found"));
        // The owner (the API key's token) may not approve its own workflow request: an agent would add any workflow.
        given().auth().oauth2(owner.token()).post("/admin/approval-requests/" + id + "/approve").then().statusCode(403)
                .body("error", equalTo("admin_approval_required"));
        authorize(Map.of("budget_id", owner.budgetId(), "workflow_id", "w")).body("data.allowed", equalTo(false));
        given().auth().oauth2(ADMIN).post("/admin/approval-requests/" + id + "/approve").then().statusCode(200);
        authorize(Map.of("budget_id", owner.budgetId(), "workflow_id", "w")).body("data.allowed", equalTo(true));
    }

    private static io.restassured.response.ValidatableResponse authorize(Map<String, Object> ask) {
        return given().auth().oauth2(SERVICE).contentType("application/json").body(ask)
                .post("/internal/workflow-authorizations").then().statusCode(200);
    }
}
