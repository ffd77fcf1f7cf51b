package dev.tollgate.workflow.workflows;

import static dev.tollgate.workflow.support.Fixtures.ADMIN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import dev.tollgate.workflow.support.CatalogServiceResource;
import dev.tollgate.workflow.support.Fixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The gateway's embed pages ask, as a service, whether a workflow exists and what it is called. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
class InternalWorkflowTest {

    @Test
    void aServiceSeesTheNameAndDescriptionAndNothingOfTheSteps() {
        String id = given().auth().oauth2(ADMIN).contentType("application/json")
                .body(Map.of("name", "Support bot", "description", "Answers <b>questions</b>",
                        "required_credentials", List.of("openai_key"),
                        "steps", List.of(Map.of("id", "answer", "type", "template", "template", "You said: {prompt}"))))
                .post("/admin/workflows").then().statusCode(201).extract().path("data.workflow.workflow_id");

        given().auth().oauth2(TestTokens.service("api-gateway")).get("/internal/workflows/" + id).then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("data.workflow.workflow_id", equalTo(id))
                .body("data.workflow.name", equalTo("Support bot"))
                .body("data.workflow.description", equalTo("Answers <b>questions</b>"))
                .body("data.workflow.steps", nullValue())
                .body("data.workflow.required_credentials", nullValue());
    }

    @Test
    void anUnknownOrMalformedIdIsWorkflowNotFound() {
        for (String id : List.of("0123456789abcdef01234567", "not-an-object-id")) {
            given().auth().oauth2(TestTokens.service("api-gateway")).get("/internal/workflows/" + id).then()
                    .statusCode(404)
                    .body("success", equalTo(false))
                    .body("error", equalTo("workflow_not_found"));
        }
    }

    @Test
    void usersMayNotAskAndAnonymousCallersAreRefused() {
        String id = Fixtures.templateWorkflow(List.of());
        given().auth().oauth2(TestTokens.user("curious")).get("/internal/workflows/" + id).then().statusCode(403)
                .body("error", equalTo("forbidden"));
        given().get("/internal/workflows/" + id).then().statusCode(401).body("error", equalTo("unauthorized"));
    }
}
