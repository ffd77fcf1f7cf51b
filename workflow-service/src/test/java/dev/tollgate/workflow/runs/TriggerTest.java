package dev.tollgate.workflow.runs;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.workflow.outbox.RunTopics;
import dev.tollgate.workflow.support.CatalogServiceResource;
import dev.tollgate.workflow.support.Fixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
class TriggerTest {

    @Inject
    RunRepository runs;

    @Inject
    RunEvents events;

    @Test
    void aTriggerQueuesARunAndAnswersWithItsStatusUrl() {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        var accepted = trigger(u, wf, Map.of("prompt", "Summarize the status of open orders",
                "callback_url", "https://example.com/hooks/agentpmt", "request_metadata", Map.of("ticket", 42)))
                .statusCode(200);
        String createdAt = accepted.extract().path("data.run.created_at");
        String runId = accepted
                .body("success", equalTo(true))
                .body("message", equalTo("Workflow trigger accepted"))
                .body("data.run.status", equalTo("queued"))
                .body("data.run.workflow_id", equalTo(wf))
                .body("data.run.cancel_requested_at", nullValue())
                .body("data.status_url", matchesPattern("http://127\\.0\\.0\\.1:8080/api/agent-webhooks/runs/[0-9a-f]{24}"))
                .extract().path("data.run.run_id");
        given().auth().oauth2(u.token()).get("/api/agent-webhooks/runs/" + runId).then().statusCode(200)
                .body("data.run.prompt", equalTo("Summarize the status of open orders"))
                .body("data.run.callback_status", equalTo("pending"))
                .body("data.run.request_metadata.ticket", equalTo(42))
                .body("data.run.run_metadata.workflow_name", equalTo("echo"))
                .body("data.run.created_at", equalTo(createdAt)); // the same instant, from memory or from the store
        // Without a callback URL there is nothing to deliver.
        String quiet = trigger(u, wf, Map.of("prompt", "hi")).statusCode(200).extract().path("data.run.run_id");
        given().auth().oauth2(u.token()).get("/api/agent-webhooks/runs/" + quiet).then()
                .body("data.run.callback_status", equalTo("skipped"));
    }

    @Test
    void aRepeatedRequestIdAnswers202WithTheSameRunEvenWhenTenRace() {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        Map<String, Object> body = Map.of("prompt", "once", "request_id", "req_01HXRACE");
        List<CompletableFuture<Map<String, Object>>> racers = new ArrayList<>();
        IntStream.range(0, 10).forEach(i -> racers.add(CompletableFuture.supplyAsync(() -> {
            var r = trigger(u, wf, body).extract();
            return Map.of("status", r.statusCode(), "run", r.path("data.run.run_id"));
        })));
        List<Map<String, Object>> answers = racers.stream().map(CompletableFuture::join).toList();
        assertEquals(1, Set.copyOf(answers.stream().map(a -> a.get("run")).toList()).size());
        assertEquals(1, answers.stream().filter(a -> a.get("status").equals(200)).count(), answers.toString());
        assertEquals(9, answers.stream().filter(a -> a.get("status").equals(202)).count(), answers.toString());
        assertEquals(1, runs.count(new Document("requestId", "req_01HXRACE").append("ownerUserId", u.userId())));
    }

    @Test
    void aReplayOfARunAcceptedBeforeItsWorkflowWasBlockedStillAnswersWithThatRun() {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        Map<String, Object> body = Map.of("prompt", "before", "request_id", "req-blocked-later");
        String runId = trigger(u, wf, body).statusCode(200).extract().path("data.run.run_id");
        // The workflow now needs a credential the budget lacks: new triggers are refused.
        given().auth().oauth2(Fixtures.ADMIN).contentType("application/json")
                .body(Map.of("name", "echo", "required_credentials", List.of("github_token"), "steps",
                        List.of(Map.of("id", "answer", "type", "template", "template", "You said: {prompt}"))))
                .put("/admin/workflows/" + wf).then().statusCode(200);

        trigger(u, wf, body).statusCode(202).body("data.run.run_id", equalTo(runId));
        trigger(u, wf, Map.of("prompt", "after", "request_id", "req-new")).statusCode(409)
                .body("error", equalTo("missing_credentials"));
    }

    static List<Object[]> badTriggers() {
        return List.of(
                new Object[] { Map.of(), "prompt" },
                new Object[] { Map.of("prompt", "  "), "prompt" },
                new Object[] { Map.of("prompt", "x".repeat(20_001)), "prompt" },
                new Object[] { Map.of("prompt", "x", "request_metadata", List.of(1)), "request_metadata" },
                new Object[] { Map.of("prompt", "x", "callback_url", "http://example.com/hook"), "https" },
                new Object[] { Map.of("prompt", "x", "callback_url", "https://10.0.0.7/hook"), "private" },
                new Object[] { Map.of("prompt", "x", "callback_url", "https://169.254.169.254/latest"), "cloud metadata" },
                new Object[] { Map.of("prompt", "x", "callback_url", "https://localhost/hook"), "local" },
                new Object[] { Map.of("prompt", "x", "callback_url", "not a url"), "callback_url" });
    }

    @ParameterizedTest
    @MethodSource("badTriggers")
    void badInputIsA400InTheWebhooksStyle(Map<String, Object> body, String mentions) {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        trigger(u, wf, body).statusCode(400)
                .body("success", equalTo(false))
                .body("error", equalTo("invalid_payload"))
                .body("message", org.hamcrest.Matchers.containsString(mentions));
    }

    @Test
    void malformedIdsUnknownWorkflowsAndBrokenJson() {
        Fixtures.User u = Fixtures.user();
        given().auth().oauth2(u.token()).contentType("application/json").body(Map.of("prompt", "x"))
                .post("/api/agent-webhooks/not-an-id/trigger").then().statusCode(400)
                .body("error", equalTo("invalid_workflow_id"));
        given().auth().oauth2(u.token()).contentType("application/json").body(Map.of("prompt", "x"))
                .post("/api/agent-webhooks/000000000000000000000000/trigger").then().statusCode(404)
                .body("error", equalTo("workflow_not_found"));
        given().auth().oauth2(u.token()).contentType("application/json").body("{\"prompt\":")
                .post("/api/agent-webhooks/000000000000000000000000/trigger").then().statusCode(400)
                .body("error", equalTo("invalid_payload"));
    }

    @Test
    void aWorkflowNotOnTheBudgetIsA409WithTheApprovalRequest() {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(); // budget without the workflow
        String first = trigger(u, wf, Map.of("prompt", "x")).statusCode(409)
                .body("success", equalTo(false))
                .body("error", equalTo("workflow_not_on_budget"))
                .body("data.workflow_request_id", notNullValue())
                .body("data.credential_request_ids", hasSize(0))
                .extract().path("data.workflow_request_id");
        trigger(u, wf, Map.of("prompt", "x")).statusCode(409).body("data.workflow_request_id", equalTo(first));
    }

    @Test
    void missingCredentialsAreA409ListingWhatIsNeeded() {
        String wf = Fixtures.templateWorkflow(List.of("github_token"));
        Fixtures.User u = Fixtures.user(wf);
        trigger(u, wf, Map.of("prompt", "x")).statusCode(409)
                .body("error", equalTo("missing_credentials"))
                .body("data.workflow_request_id", nullValue())
                .body("data.credential_request_ids", hasSize(1))
                .body("data.missing_credentials[0].key", equalTo("github_token"));
    }

    /**
     * The run and its request are one insert; the relay publishes the request and leaves it in the run, unflagged (no
     * write to remove it): the claim replaces it, as a cancellation of the queued run does here.
     */
    @Test
    void theRunAndItsRequestAreWrittenTogetherAndTheRequestLeavesWithTheWriteThatEndsTheQueue() {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        String runId = trigger(u, wf, Map.of("prompt", "x")).statusCode(200).extract().path("data.run.run_id");
        org.bson.types.ObjectId id = new org.bson.types.ObjectId(runId);
        Map<String, Object> seen = new HashMap<>(KafkaEvents.forRun(runId, 1));
        assertEquals(Set.of(runId + ":run.requested:1"), seen.keySet(), "a new run is announced by its request alone");
        Fixtures.awaitRelayed(runs, id);
        Run queued = runs.findById(id);
        assertEquals(List.of(runId + ":run.requested:1"), queued.pendingEvents.stream().map(e -> e.id).toList(),
                "published, and left in the run");
        assertNull(queued.outboxPending, "not flagged: the sweep does not read queued runs");

        given().auth().oauth2(u.token()).contentType("application/json").body(Map.of())
                .post("/api/agent-webhooks/runs/" + runId + "/cancel").then().statusCode(200);
        Run cancelled = runs.findById(id);
        assertTrue(cancelled.pendingEvents.stream().noneMatch(e -> e.topic.equals(RunTopics.REQUESTED)),
                "the cancellation's write dropped the request");
        Fixtures.awaitRelayed(runs, id);
        assertTrue(runs.findById(id).pendingEvents.isEmpty(), "run.cancelled published and removed");
    }

    @Test
    void eventsLeftInARunByACrashBeforeThePublishAreRelayedByTheSweep() {
        // What a process that died right after writing the run leaves behind: the run with its events, unpublished.
        Run run = new Run();
        run.id = new org.bson.types.ObjectId();
        run.workflowId = new org.bson.types.ObjectId().toHexString();
        run.ownerUserId = "crashed";
        run.status = RunStatus.QUEUED;
        run.prompt = "p";
        run.callbackStatus = "skipped";
        run.createdAt = java.time.Instant.now();
        run.updatedAt = run.createdAt;
        run.pendingEvents = new ArrayList<>(List.of(events.requested(run, 1)));
        run.outboxPending = true;
        runs.persist(run);
        String runId = run.id.toHexString();
        assertEquals(Set.of(runId + ":run.requested:1"), KafkaEvents.forRun(runId, 1).keySet());
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.findById(run.id).pendingEvents.isEmpty());
    }

    static ValidatableResponse trigger(Fixtures.User u, String workflowId, Map<String, Object> body) {
        return given().auth().oauth2(u.token()).contentType("application/json").body(body)
                .post("/api/agent-webhooks/" + workflowId + "/trigger").then();
    }
}
