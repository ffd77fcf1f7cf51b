package dev.tollgate.workflow.runs;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import dev.tollgate.localstack.testing.DocsExamined;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.workflow.support.AgainstRunHistory;
import dev.tollgate.workflow.support.CatalogServiceResource;
import dev.tollgate.workflow.support.Fixtures;
import dev.tollgate.workflow.support.RunHistory;
import dev.tollgate.workflow.support.WithoutOutboxSweep;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * The public run API next to {@link RunHistory#RUNS} ended runs of other users: each call reads the few documents
 * it names by {@code _id} and nothing else, so it costs the same with any history behind it.
 *
 * <p>A bound below counts: the workflow read by {@code _id} (1), each run read or conditionally written by
 * {@code _id} (1 each), and {@link #RELAY} for the outbox relay that a write with events schedules (it may or may not
 * finish inside the measured window).
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
@TestProfile(WithoutOutboxSweep.class)
class RunDocsExaminedTest extends AgainstRunHistory {

    /**
     * The relay publishes the events the write handed it and removes them with one update conditional on them, by
     * {@code _id} (it no longer reads the run back).
     */
    static final int RELAY = 1;

    @Test
    void aTriggerWithoutRequestIdReadsOnlyItsWorkflow() {
        var t = DocsExamined.measure(db, () -> trigger(Map.of("prompt", "x")));

        assertEquals(200, t.result().statusCode());
        assertAtMost(1 + RELAY, t.docsExamined(), "trigger without request_id");
    }

    @Test
    void aTriggerWithRequestIdAndItsReplayReadOnlyTheWorkflowAndTheRunTheyName() {
        Map<String, Object> body = Map.of("prompt", "x", "request_id", "docs-examined-1");
        var first = DocsExamined.measure(db, () -> trigger(body));
        assertEquals(200, first.result().statusCode());
        // The workflow (unless cached), and no lookup of the run id derived from the request_id: the insert tells.
        assertAtMost(1 + RELAY, first.docsExamined(), "trigger with a new request_id");
        ObjectId runId = new ObjectId(first.result().<String>path("data.run.run_id"));
        Fixtures.awaitRelayed(runs, runId);

        var replay = DocsExamined.measure(db, () -> trigger(body));
        assertEquals(202, replay.result().statusCode());
        assertEquals(runId.toHexString(), replay.result().path("data.run.run_id"));
        assertAtMost(1 + 1, replay.docsExamined(), "replay of a request_id");
    }

    @Test
    void aStatusReadReadsOnlyTheRun() {
        ObjectId runId = Fixtures.trigger(user, workflowId, Map.of("prompt", "x"));
        Fixtures.awaitRelayed(runs, runId);

        var status = DocsExamined.measure(db, () -> given().auth().oauth2(user.token())
                .get("/api/agent-webhooks/runs/" + runId.toHexString()).then().extract());

        assertEquals(200, status.result().statusCode());
        assertEquals("queued", status.result().path("data.run.status"));
        assertAtMost(1, status.docsExamined(), "run status");
    }

    @Test
    void cancellingAQueuedRunReadsAndWritesOnlyThatRun() {
        ObjectId runId = Fixtures.trigger(user, workflowId, Map.of("prompt", "x"));
        Fixtures.awaitRelayed(runs, runId);

        var cancel = DocsExamined.measure(db, () -> cancel(runId));

        assertEquals(200, cancel.result().statusCode());
        assertEquals("cancelled", cancel.result().path("data.run.status"));
        // Read as the owner's, the conditional write returning the run as written; then the relay of run.cancelled.
        assertAtMost(2 + RELAY, cancel.docsExamined(), "cancel of a queued run");
    }

    @Test
    void cancellingARunningRunReadsAndWritesOnlyThatRun() {
        ObjectId runId = Fixtures.trigger(user, workflowId, Map.of("prompt", "x"));
        Fixtures.awaitRelayed(runs, runId);
        claims.claim(runId, RunHistory.WORKER, Instant.now().plusSeconds(60));
        Fixtures.awaitRelayed(runs, runId); // the claim hands run.started to the relay

        var cancel = DocsExamined.measure(db, () -> cancel(runId));

        assertEquals(200, cancel.result().statusCode());
        assertEquals("running", cancel.result().path("data.run.status"));
        assertAtMost(2, cancel.docsExamined(), "cancel of a running run (no event)");
    }

    private ExtractableResponse<Response> trigger(Map<String, Object> body) {
        return given().auth().oauth2(user.token()).contentType("application/json").body(body)
                .post("/api/agent-webhooks/" + workflowId + "/trigger").then().extract();
    }

    private ExtractableResponse<Response> cancel(ObjectId runId) {
        return given().auth().oauth2(user.token()).contentType("application/json").body(Map.of("reason", "enough"))
                .post("/api/agent-webhooks/runs/" + runId.toHexString() + "/cancel").then().extract();
    }

    static void assertAtMost(long bound, long examined, String operation) {
        assertTrue(examined <= bound, operation + " examined " + examined + " documents (at most " + bound
                + " expected, with " + RunHistory.RUNS + " runs of history in the store)");
    }
}
