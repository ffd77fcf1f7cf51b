package dev.tollgate.workflow.runs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class RunResourceTest {

    /** Every field of the contract's RUN object. */
    static final List<String> RUN_FIELDS = List.of("run_id", "workflow_id", "status", "prompt", "response_text",
            "session_id", "model", "error_code", "error_message", "callback_url", "callback_status",
            "callback_last_status", "callback_last_error", "callback_attempted_at", "callback_delivered_at",
            "request_metadata", "run_metadata", "created_at", "updated_at", "started_at", "completed_at",
            "cancel_requested_at", "cancel_requested_by_user_id", "cancel_request_id", "cancel_reason");

    @Inject
    RunRepository runs;

    @Test
    void theOwnerSeesEveryContractField() {
        Run run = queuedRun("alice");
        var response = given().auth().oauth2(TestTokens.user("alice"))
                .get("/api/agent-webhooks/runs/" + run.id.toHexString())
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("data.run.run_id", equalTo(run.id.toHexString()))
                .body("data.run.status", equalTo("queued"))
                .body("data.run.prompt", equalTo("Summarize the status of open orders"))
                .body("data.run.callback_status", equalTo("skipped"))
                .body("data.run.request_metadata.source", equalTo("test"))
                .body("data.run.response_text", nullValue());
        RUN_FIELDS.forEach(f -> response.body("data.run", hasKey(f)));
    }

    @Test
    void anotherUsersRunIsA404() {
        Run run = queuedRun("alice");
        given().auth().oauth2(TestTokens.user("mallory"))
                .get("/api/agent-webhooks/runs/" + run.id.toHexString())
                .then().statusCode(404)
                .body("success", equalTo(false))
                .body("error", equalTo("run_not_found"));
    }

    @Test
    void aMalformedIdIsA400() {
        given().auth().oauth2(TestTokens.user("alice"))
                .get("/api/agent-webhooks/runs/not-an-id")
                .then().statusCode(400)
                .body("error", equalTo("invalid_run_id"));
    }

    private Run queuedRun(String owner) {
        Run run = new Run();
        run.id = new ObjectId();
        run.workflowId = new ObjectId().toHexString();
        run.ownerUserId = owner;
        run.status = RunStatus.QUEUED;
        run.prompt = "Summarize the status of open orders";
        run.callbackStatus = "skipped";
        run.requestMetadata = Map.of("source", "test");
        run.createdAt = Instant.now();
        run.updatedAt = run.createdAt;
        runs.persist(run);
        return run;
    }
}
