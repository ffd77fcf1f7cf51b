package dev.tollgate.workflow.runs;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.workflow.support.CatalogServiceResource;
import dev.tollgate.workflow.support.Fixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * A trigger's run id is a new ObjectId even with a request_id (ids grow with time, so the store appends), the request
 * key derived from the request_id sits beside it under a unique index, and runs an earlier version keyed by their id
 * are given that key at the first start, so their request_id still finds them; on a large store, behind the start.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
class RequestKeysTest {

    @Inject
    RunRepository runs;

    @Inject
    RunIndexes indexes;

    @Test
    void aRunWithARequestIdHasANewIdThatGrowsWithTimeAndItsKeyBeside() {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        long before = Instant.now().getEpochSecond();

        ObjectId first = runId(trigger(u, wf, Map.of("prompt", "a", "request_id", "rk-1")).statusCode(200));
        ObjectId second = runId(trigger(u, wf, Map.of("prompt", "b", "request_id", "rk-2")).statusCode(200));

        ObjectId key = RunService.requestKey(u.userId(), wf, "rk-1");
        assertNotEquals(key, first, "the run id is not the request key");
        assertTrue(first.getTimestamp() >= before - 1 && first.getTimestamp() <= Instant.now().getEpochSecond() + 1,
                "the id carries the trigger's time: " + first.getDate());
        assertTrue(second.compareTo(first) > 0, "a later run sorts after an earlier one");
        assertEquals(key, runs.findById(first).requestKey);
        assertEquals(first, runs.findByRequestKey(key).id);
        trigger(u, wf, Map.of("prompt", "a again", "request_id", "rk-1")).statusCode(202)
                .body("data.run.run_id", equalTo(first.toHexString()));
        assertNull(runs.findById(runId(trigger(u, wf, Map.of("prompt", "no key")).statusCode(200))).requestKey,
                "without a request_id nothing is stored in the sparse index");
    }

    @Test
    void aRunAnEarlierVersionKeyedByItsIdIsFoundByItsRequestIdAfterTheUpgrade() {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        // The store as an earlier version left it: no request key index, and a run whose id is its request key.
        runs.mongoCollection().dropIndex(RunIndexes.REQUEST_KEY_INDEX);
        indexes.forget();
        Run earlier = Fixtures.run(u.userId(), RunStatus.COMPLETED);
        earlier.id = RunService.requestKey(u.userId(), wf, "before-upgrade");
        earlier.workflowId = wf;
        earlier.budgetId = u.budgetId();
        earlier.requestId = "before-upgrade";
        earlier.completedAt = earlier.createdAt;
        runs.persist(earlier);
        try {
            // Until the unique index is back a request_id is refused (a twin could slip past); a trigger without is not.
            trigger(u, wf, Map.of("prompt", "again", "request_id", "before-upgrade")).statusCode(503)
                    .header("Retry-After", "1").body("success", equalTo(false)).body("error", equalTo("starting"));
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.name", hasItem(RequestKeysReadiness.NAME));
            trigger(u, wf, Map.of("prompt", "no key")).statusCode(200);
        } finally {
            indexes.ensure();
        }

        given().get("/q/health/ready").then().statusCode(200);
        Document stored = runs.mongoCollection().withDocumentClass(Document.class)
                .find(Filters.eq("_id", earlier.id)).first();
        assertEquals(earlier.id, stored.getObjectId(RunIndexes.REQUEST_KEY), "the earlier run got its id as its key");
        trigger(u, wf, Map.of("prompt", "again", "request_id", "before-upgrade")).statusCode(202)
                .body("data.run.run_id", equalTo(earlier.id.toHexString()));
        assertEquals(1, runs.count(new Document("requestId", "before-upgrade").append("ownerUserId", u.userId())));
    }

    @Test
    void onALargeStoreTheIndexIsBuiltBehindTheStartWithTriggersByRequestIdRefusedUntilThen() throws Exception {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User u = Fixtures.user(wf);
        ObjectId first = runId(trigger(u, wf, Map.of("prompt", "a", "request_id", "large-1")).statusCode(200));
        runs.mongoCollection().dropIndex(RunIndexes.REQUEST_KEY_INDEX);
        indexes.forget();
        // Held here, the build the start hands to its thread cannot finish: the start must not wait for it.
        indexes.building().lock(); // through the bean, not its client proxy's fields
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> indexes.start(0),
                    "a start on a store larger than the limit does not wait for the index");
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.name", hasItem(RequestKeysReadiness.NAME));
            trigger(u, wf, Map.of("prompt", "a again", "request_id", "large-1")).statusCode(503)
                    .header("Retry-After", "1").body("error", equalTo("starting"));
        } finally {
            indexes.building().unlock();
        }

        await().atMost(Duration.ofSeconds(30)).until(indexes::requestKeysIndexed);
        given().get("/q/health/ready").then().statusCode(200);
        assertTrue(runs.mongoCollection().listIndexes().into(new ArrayList<>()).stream()
                .anyMatch(i -> RunIndexes.REQUEST_KEY_INDEX.equals(i.getString("name"))), "built in the background");
        trigger(u, wf, Map.of("prompt", "a again", "request_id", "large-1")).statusCode(202)
                .body("data.run.run_id", equalTo(first.toHexString()));
    }

    private static ObjectId runId(ValidatableResponse answer) {
        return new ObjectId(answer.extract().<String>path("data.run.run_id"));
    }

    private static ValidatableResponse trigger(Fixtures.User u, String workflowId, Map<String, Object> body) {
        return given().auth().oauth2(u.token()).contentType("application/json").body(body)
                .post("/api/agent-webhooks/" + workflowId + "/trigger").then();
    }
}
