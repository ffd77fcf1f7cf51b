package dev.tollgate.workflow.runs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import dev.tollgate.workflow.support.CatalogServiceResource;
import dev.tollgate.workflow.support.Fixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
class CancelTest {

    @Inject
    RunRepository runs;

    @Test
    void aQueuedRunIsCancelledAtOnceAndCancellingAgainAnswersTheSameRun() throws Exception {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        String runId = TriggerTest.trigger(u, wf, Map.of("prompt", "x")).statusCode(200).extract().path("data.run.run_id");
        given().auth().oauth2(u.token()).contentType("application/json")
                .body(Map.of("reason", "changed my mind", "request_id", "cancel-1"))
                .post("/api/agent-webhooks/runs/" + runId + "/cancel").then().statusCode(200)
                .body("data.run.status", equalTo("cancelled"))
                .body("data.run.cancel_reason", equalTo("changed my mind"))
                .body("data.run.cancel_request_id", equalTo("cancel-1"))
                .body("data.run.cancel_requested_by_user_id", equalTo(u.userId()))
                .body("data.run.cancel_requested_at", notNullValue())
                .body("data.run.completed_at", notNullValue())
                .body("data.run.error_code", equalTo("cancelled"));
        given().auth().oauth2(u.token()).post("/api/agent-webhooks/runs/" + runId + "/cancel").then().statusCode(200)
                .body("data.run.status", equalTo("cancelled"))
                .body("data.run.cancel_request_id", equalTo("cancel-1"));
        var events = KafkaEvents.forRun(runId, 2);
        assertTrue(events.containsKey(runId + ":run.cancelled:0"), events.keySet().toString());
        assertEquals("cancelled", events.get(runId + ":run.cancelled:0").at("/data/run/status").asText());
        // The event carries exactly what a status poll shows: callbacks and polls parse with one parser.
        String polled = given().auth().oauth2(u.token()).get("/api/agent-webhooks/runs/" + runId).then()
                .extract().body().asString();
        assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree(polled).at("/data/run"),
                events.get(runId + ":run.cancelled:0").at("/data/run"));
    }

    @Test
    void aJsonNullBodyIsNoBody() {
        // What a generated client sends for the optional body left out: null with a JSON content type.
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        String runId = TriggerTest.trigger(u, wf, Map.of("prompt", "x")).statusCode(200).extract().path("data.run.run_id");
        given().auth().oauth2(u.token()).contentType("application/json").body("null")
                .post("/api/agent-webhooks/runs/" + runId + "/cancel").then().statusCode(200)
                .body("data.run.status", equalTo("cancelled"))
                .body("data.run.cancel_reason", nullValue());
        // Any other non-object is still refused.
        given().auth().oauth2(u.token()).contentType("application/json").body("[]")
                .post("/api/agent-webhooks/runs/" + runId + "/cancel").then().statusCode(400)
                .body("error", equalTo("invalid_payload"));
    }

    @Test
    void aRunningRunRecordsTheRequestForItsWorker() {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        String runId = TriggerTest.trigger(u, wf, Map.of("prompt", "x")).statusCode(200).extract().path("data.run.run_id");
        Run run = runs.findById(new ObjectId(runId));
        run.status = RunStatus.RUNNING;
        runs.update(run);
        given().auth().oauth2(u.token()).post("/api/agent-webhooks/runs/" + runId + "/cancel").then().statusCode(200)
                .body("data.run.status", equalTo("running"))
                .body("data.run.cancel_requested_at", notNullValue());
    }

    @Test
    void anEndedRunCannotBeCancelledAndOthersRunsAreInvisible() {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        String runId = TriggerTest.trigger(u, wf, Map.of("prompt", "x")).statusCode(200).extract().path("data.run.run_id");
        Run run = runs.findById(new ObjectId(runId));
        run.status = RunStatus.COMPLETED;
        runs.update(run);
        given().auth().oauth2(u.token()).post("/api/agent-webhooks/runs/" + runId + "/cancel").then().statusCode(409)
                .body("error", equalTo("run_not_cancellable"));
        given().auth().oauth2(TestTokens.user("mallory")).post("/api/agent-webhooks/runs/" + runId + "/cancel")
                .then().statusCode(404).body("error", equalTo("run_not_found"));
        given().auth().oauth2(u.token()).post("/api/agent-webhooks/runs/nope/cancel").then().statusCode(400)
                .body("error", equalTo("invalid_run_id"));
        given().auth().oauth2(u.token()).contentType("application/json").body(Map.of("reason", "x".repeat(501)))
                .post("/api/agent-webhooks/runs/" + runId + "/cancel").then().statusCode(400)
                .body("error", equalTo("invalid_payload"));
    }

    /**
     * Bodies of a declared length are read whole before the endpoint runs (platform's BufferedRequestBodies); a
     * chunked body, empty or not, still arrives by the stream, and is answered rather than left waiting.
     */
    @Test
    void chunkedBodiesEmptyOrNotAreAnswered() throws Exception {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        String runId = TriggerTest.trigger(u, wf, Map.of("prompt", "x")).statusCode(200).extract().path("data.run.run_id");
        URI cancel = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/agent-webhooks/runs/" + runId
                + "/cancel");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (byte[] body : List.of(new byte[0], "{\"reason\":\"chunked\"}".getBytes(StandardCharsets.UTF_8))) {
            // An input stream has no known length, so the client sends it chunked.
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(cancel)
                    .header("Authorization", "Bearer " + u.token()).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"cancelled\""), answer.body());
        }
    }
}
