package dev.tollgate.workflow.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import com.mongodb.client.model.Filters;
import dev.tollgate.localstack.testing.DocsExamined;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.workflow.runs.KafkaEvents;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.support.AgainstRunHistory;
import dev.tollgate.workflow.support.CatalogServiceResource;
import dev.tollgate.workflow.support.Fixtures;
import dev.tollgate.workflow.support.RunHistory;
import dev.tollgate.workflow.support.WithoutOutboxSweep;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * The relay next to {@link RunHistory#RUNS} ended runs whose outboxes are empty: the sweep reads only the runs
 * flagged as having events waiting (through the sparse index on the flag), and a flush reads and writes one run. The
 * sweep used to test every run ever written for a non-empty {@code pendingEvents}.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
@TestProfile(WithoutOutboxSweep.class)
class OutboxDocsExaminedTest extends AgainstRunHistory {

    @Test
    void theSweepReadsOnlyRunsWithEventsWaiting() {
        ObjectId runId = runWithAnEventLeftBehind();
        long waiting = runs.mongoCollection().countDocuments(Filters.eq(OutboxWrites.PENDING, true));

        long examined = DocsExamined.during(db, relay::sweep);

        Run swept = runs.findById(runId);
        assertTrue(swept.pendingEvents.isEmpty(), "the event left behind was relayed");
        assertNull(swept.outboxPending, "and the run left the sweep's index");
        assertTrue(KafkaEvents.forRun(runId.toHexString(), 3).containsKey(runId.toHexString() + ":run.started:1"));
        assertTrue(waiting >= 1 && waiting < 20, "a few runs have events waiting, not the history: " + waiting);
        // Per run waiting: found through the index, read by the flush, emptied by one conditional write.
        assertTrue(examined <= 3 * waiting, "the sweep examined " + examined + " documents for " + waiting
                + " runs with events waiting, next to " + RunHistory.RUNS + " runs of history");

        long idle = DocsExamined.during(db, relay::sweep);
        long stillWaiting = runs.mongoCollection().countDocuments(Filters.eq(OutboxWrites.PENDING, true));
        assertTrue(idle <= 3 * stillWaiting, "a sweep with nothing to do examined " + idle + " documents");
    }

    @Test
    void aFlushReadsAndWritesOnlyItsRun() {
        ObjectId runId = runWithAnEventLeftBehind();

        long examined = DocsExamined.during(db, () -> relay.flush(runId));

        assertTrue(runs.findById(runId).pendingEvents.isEmpty());
        assertNull(runs.findById(runId).outboxPending);
        assertTrue(examined <= 2, "a flush (read by _id, conditional write by _id) examined " + examined);
    }

    /** What a worker that died right after claiming leaves: the run, and its run.started waiting, flagged. */
    private ObjectId runWithAnEventLeftBehind() {
        ObjectId runId = Fixtures.trigger(user, workflowId, Map.of("prompt", "x"));
        Fixtures.awaitRelayed(runs, runId);
        claims.claim(runId, RunHistory.WORKER, Instant.now().plusSeconds(60));
        Run claimed = runs.findById(runId);
        assertEquals(1, claimed.pendingEvents.size());
        assertEquals(Boolean.TRUE, claimed.outboxPending);
        return runId;
    }
}
