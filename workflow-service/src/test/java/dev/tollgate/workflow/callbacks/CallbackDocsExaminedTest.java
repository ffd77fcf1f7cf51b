package dev.tollgate.workflow.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
import jakarta.inject.Inject;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * Folding a callback outcome next to {@link RunHistory#RUNS} ended runs (most of them with delivered callbacks): one
 * update by {@code _id}, whose "newer than the last" and "not yet delivered" conditions are tested on that run alone,
 * whether the outcome applies or not.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
@TestProfile(WithoutOutboxSweep.class)
class CallbackDocsExaminedTest extends AgainstRunHistory {

    @Inject
    CallbackOutcomes outcomes;

    @Test
    void anOutcomeIsFoldedByReadingOnlyItsRun() {
        String workflowId = Fixtures.templateWorkflow(List.of());
        Fixtures.User user = Fixtures.user(workflowId);
        ObjectId runId = Fixtures.trigger(user, workflowId, Map.of("prompt", "x",
                "callback_url", "https://agents.example.com/hook"));
        Fixtures.awaitRelayed(runs, runId);
        String id = runId.toHexString();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        var failed = DocsExamined.measure(db, () -> outcomes.fold(
                new CallbackOutcome(id, "pending", 500, "HTTP 500", t0, null)));
        var delivered = DocsExamined.measure(db, () -> outcomes.fold(
                new CallbackOutcome(id, "delivered", 200, null, t0.plusSeconds(5), t0.plusSeconds(5))));
        var late = DocsExamined.measure(db, () -> outcomes.fold(
                new CallbackOutcome(id, "pending", 503, "HTTP 503", t0.plusSeconds(2), null)));

        assertTrue(failed.result());
        assertTrue(delivered.result());
        assertFalse(late.result(), "an older attempt after delivery changes nothing");
        assertEquals("delivered", runs.findById(runId).callbackStatus);
        for (var fold : List.of(failed, delivered, late)) {
            assertTrue(fold.docsExamined() <= 1, "folding an outcome examined " + fold.docsExamined()
                    + " documents, next to " + RunHistory.RUNS + " runs of history");
        }
    }
}
