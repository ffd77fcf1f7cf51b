package dev.tollgate.workflow.admission;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.workflow.runs.RunRepository;
import dev.tollgate.workflow.support.CatalogServiceResource;
import dev.tollgate.workflow.support.Fixtures;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A budget's triggers paced while another budget triggers too, through the API: held for their slot, then refused
 * 429 {@code rate_limited} with a {@code Retry-After} and nothing queued; never paced alone.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
@TestProfile(TriggerPacingTest.TwoPerSecond.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TriggerPacingTest {

    public static class TwoPerSecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A window long enough that the test's own pauses never end the contention.
            return Map.of("tollgate.workflow.fairness.contended-triggers-per-second", "2",
                    "tollgate.workflow.fairness.contended-window", "PT30S",
                    "tollgate.workflow.fairness.max-pacing-delay", "PT0.6S");
        }
    }

    @Inject
    MeterRegistry metrics;

    @Inject
    RunRepository runs;

    @Test
    @Order(1) // before any other budget has triggered in this application
    void aBudgetAloneTriggersAsFastAsItLikes() {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User alone = Fixtures.user(wf);
        double pacedBefore = paced();
        for (int i = 0; i < 5; i++) {
            trigger(alone, wf, "alone-" + i).statusCode(200);
        }
        assertEquals(pacedBefore, paced());
    }

    @Test
    @Order(2)
    void whileAnotherBudgetTriggersAFloodIsHeldThenRefusedWithARetryAfterAndNothingQueued() throws Exception {
        String wf = Fixtures.templateWorkflow(List.of());
        Fixtures.User flood = Fixtures.user(wf);
        Fixtures.User other = Fixtures.user(wf);
        trigger(other, wf, "other-1").statusCode(200);
        double pacedBefore = paced();
        // Four at once at 2/s: the first goes at once, the second waits 500 ms for its slot, the other two would wait
        // 1 s, past the 600 ms a trigger may: refused, with nothing queued for them.
        List<CompletableFuture<ExtractableResponse<Response>>> four = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> trigger(flood, wf, "flood-" + i).extract(),
                        Executors.newVirtualThreadPerTaskExecutor()))
                .toList();
        List<ExtractableResponse<Response>> answers = new ArrayList<>();
        for (CompletableFuture<ExtractableResponse<Response>> f : four) {
            answers.add(f.get(30, TimeUnit.SECONDS));
        }
        assertEquals(List.of(200, 200, 429, 429), answers.stream().map(ExtractableResponse::statusCode).sorted()
                .toList());
        for (ExtractableResponse<Response> refused : answers.stream().filter(r -> r.statusCode() == 429).toList()) {
            assertEquals("1", refused.header("Retry-After"));
            assertEquals(false, refused.path("success"));
            assertEquals("rate_limited", refused.path("error"));
        }
        assertEquals(pacedBefore + 1, paced());
        assertEquals(2, runs.count("ownerUserId", flood.userId()));
        // The held one was written in its request's trace, like the one that went at once.
        runs.list("ownerUserId", flood.userId()).forEach(run -> assertNotNull(run.traceParent));
        // The other budget, well within its share, is not held back.
        trigger(other, wf, "other-2").statusCode(200);
        assertEquals(pacedBefore + 1, paced());
    }

    private double paced() {
        return metrics.counter("tollgate.workflow.triggers.paced").count();
    }

    private static ValidatableResponse trigger(Fixtures.User user, String workflowId, String requestId) {
        return given().auth().oauth2(user.token()).contentType("application/json")
                .body(Map.of("prompt", "paced", "request_id", requestId))
                .post("/api/agent-webhooks/" + workflowId + "/trigger").then();
    }
}
