package dev.tollgate.catalog.bundles;

import static dev.tollgate.catalog.support.Catalog.ADMIN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import dev.tollgate.catalog.support.Catalog;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class BundleAndIssueAdminTest {

    @Test
    void aBundleGroupsToolsAndWorkflowsForTheWidget() {
        String a = Catalog.builtinProduct("text_stats", 1);
        String b = Catalog.builtinProduct("kv_memory", 1);
        String id = given().auth().oauth2(ADMIN).contentType("application/json")
                .body(Map.of("name", "Research kit", "product_ids", List.of(a, b), "workflow_ids", List.of("wf-1")))
                .post("/admin/bundles").then().statusCode(201).extract().path("data.bundle.bundle_id");
        given().auth().oauth2(TestTokens.service("api-gateway")).get("/bundles/" + id).then().statusCode(200)
                .body("data.bundle.name", equalTo("Research kit"))
                .body("data.bundle.tools", hasSize(2))
                .body("data.bundle.workflow_ids", equalTo(List.of("wf-1")));
        given().auth().oauth2(TestTokens.service("api-gateway")).get("/bundles/000000000000000000000000")
                .then().statusCode(404).body("error", equalTo("bundle_not_found"));
        given().auth().oauth2(ADMIN).contentType("application/json")
                .body(Map.of("name", "bad", "product_ids", List.of("nope")))
                .post("/admin/bundles").then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body", "product_ids", 0)));
        // issue 17 item 10: a number was stored as the id "12"
        given().auth().oauth2(ADMIN).contentType("application/json")
                .body(Map.of("name", "bad", "workflow_ids", List.of(12)))
                .post("/admin/bundles").then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body", "workflow_ids", 0)))
                .body("detail[0].type", equalTo("string_type"));
    }

    @Test
    void adminsListAndCloseIssueReports() {
        String product = "reported-" + Catalog.unique();
        String issue = given().auth().oauth2(TestTokens.user("agent")).contentType("application/json")
                .body(Map.of("product_id", product, "error_message", "timed out")).post("/issues/report")
                .then().statusCode(200).extract().path("data.issue_id");
        given().auth().oauth2(ADMIN).get("/admin/issues?status=open&product_id=" + product).then().statusCode(200)
                .body("data.issues.issue_id", equalTo(List.of(issue)))
                .body("data.issues[0].error_message", equalTo("timed out"));
        given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("resolution", "raised the timeout"))
                .post("/admin/issues/" + issue + "/close").then().statusCode(200)
                .body("data.issue.status", equalTo("closed"))
                .body("data.issue.resolution", equalTo("raised the timeout"));
        given().auth().oauth2(ADMIN).get("/admin/issues?status=open").then().statusCode(200)
                .body("data.issues.issue_id", not(hasItem(issue)));
        given().auth().oauth2(TestTokens.user("agent")).get("/admin/issues").then().statusCode(403);
    }

    @Test
    void aJsonNullBodyClosesAnIssueWithoutAResolutionLikeNoBody() {
        String issue = given().auth().oauth2(TestTokens.user("agent")).contentType("application/json")
                .body(Map.of("product_id", "reported-" + Catalog.unique(), "error_message", "timed out"))
                .post("/issues/report").then().statusCode(200).extract().path("data.issue_id");
        given().auth().oauth2(ADMIN).contentType("application/json").body("null")
                .post("/admin/issues/" + issue + "/close").then().statusCode(200)
                .body("data.issue.status", equalTo("closed"));
    }
}
