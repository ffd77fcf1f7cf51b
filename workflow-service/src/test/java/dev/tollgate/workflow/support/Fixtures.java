package dev.tollgate.workflow.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tollgate.localstack.testing.TestTokens;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.outbox.OutboxRelay;
import dev.tollgate.workflow.runs.RunRepository;
import dev.tollgate.workflow.runs.RunStatus;
import org.bson.types.ObjectId;

/** Workflows, budgets and users for tests, made through the real admin APIs of workflow- and catalog-service. */
public final class Fixtures {

    public static final String ADMIN = TestTokens.admin("workflow-test-admin");

    private Fixtures() {
    }

    public record User(String userId, String budgetId, String token) {
    }

    /** A run with just the fields every run has, in {@code status}, not stored: tests that write runs directly. */
    public static Run run(String ownerUserId, RunStatus status) {
        Run run = new Run();
        run.id = new ObjectId();
        run.workflowId = new ObjectId().toHexString();
        run.ownerUserId = ownerUserId;
        run.status = status;
        run.prompt = "p";
        run.callbackStatus = "skipped";
        run.createdAt = Instant.now();
        run.updatedAt = run.createdAt;
        return run;
    }

    /** Triggers {@code workflowId} as {@code user} through the API; the new run's id. */
    public static ObjectId trigger(User user, String workflowId, Map<String, Object> body) {
        String runId = given().auth().oauth2(user.token()).contentType("application/json").body(body)
                .post("/api/agent-webhooks/" + workflowId + "/trigger").then().statusCode(200)
                .extract().path("data.run.run_id");
        return new ObjectId(runId);
    }

    /** Waits until the relay has published every event of the run and cleared its outbox flag. */
    /**
     * Until the relay is done with the run: nothing of it in the relay's hands and nothing flagged waiting in it. (A
     * queued run's first request stays in it, published, until a claim replaces it.)
     */
    public static void awaitRelayed(RunRepository runs, ObjectId runId) {
        OutboxRelay relay = io.quarkus.arc.Arc.container().instance(OutboxRelay.class).get();
        await().atMost(Duration.ofSeconds(10)).until(() -> !relay.relaying(runId)
                && runs.findById(runId).outboxPending == null);
    }

    public static String templateWorkflow(List<String> credentials) {
        return given().auth().oauth2(ADMIN).contentType("application/json")
                .body(Map.of("name", "echo", "required_credentials", credentials,
                        "steps", List.of(Map.of("id", "answer", "type", "template", "template", "You said: {prompt}"))))
                .post("/admin/workflows").then().statusCode(201).extract().path("data.workflow.workflow_id");
    }

    /** A user whose budget enables {@code workflowIds}. */
    public static User user(String... workflowIds) {
        String userId = "user-" + UUID.randomUUID().toString().substring(0, 8);
        String catalog = CatalogServiceResource.catalog().baseUrl();
        String budgetId = given().baseUri(catalog).auth().oauth2(ADMIN).contentType("application/json")
                .body(Map.of("owner_user_id", userId, "name", "b")).post("/admin/budgets")
                .then().statusCode(201).extract().path("data.budget_id");
        for (String w : workflowIds) {
            given().baseUri(catalog).auth().oauth2(ADMIN).put("/admin/budgets/" + budgetId + "/workflows/" + w)
                    .then().statusCode(200);
        }
        return new User(userId, budgetId, TestTokens.user(userId, budgetId));
    }
}
