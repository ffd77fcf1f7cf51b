package dev.tollgate.workflow.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import dev.tollgate.localstack.testing.DocsExamined;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.workflow.runs.KafkaEvents;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunEvents;
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
 * The relay next to {@link RunHistory#RUNS} ended runs whose outboxes are empty: the sweep reads only the runs
 * flagged as having events waiting (through the sparse index on the flag), and a flush reads and writes one run. The
 * sweep used to test every run ever written for a non-empty {@code pendingEvents}.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
@TestProfile(WithoutOutboxSweep.class)
class OutboxDocsExaminedTest extends AgainstRunHistory {

    @Inject
    RunEvents events;

    @Test
    void theSweepReadsOnlyRunsWithEventsWaiting() {
        // An api process's first sweep also publishes again the first requests waiting in queued runs (a predecessor
        // may have died before publishing them): it reads the queued runs, through the index on status, not the history.
        long queued = runs.mongoCollection().countDocuments(Filters.eq("status", "QUEUED"));
        long first = DocsExamined.during(db, relay::sweep);
        assertTrue(queued < 100, "queued runs of tests, not the history: " + queued);
        assertTrue(first <= 2 * queued + 20, "a first sweep examined " + first + " documents for " + queued
                + " queued runs, next to " + RunHistory.RUNS + " runs of history");

        ObjectId runId = runWithAnEventLeftBehind();
        long waiting = runs.mongoCollection().countDocuments(Filters.eq(OutboxWrites.PENDING, true));
        relay.sweep(); // its first sighting leaves the run alone (another process may be about to remove the event)

        long examined = DocsExamined.during(db, relay::sweep);

        Run swept = runs.findById(runId);
        assertTrue(swept.pendingEvents.isEmpty(), "the event left behind was relayed");
        assertNull(swept.outboxPending, "and the run left the sweep's index");
        assertTrue(KafkaEvents.forRun(runId.toHexString(), 2).containsKey(runId.toHexString() + ":run.started:1"));
        assertTrue(waiting >= 1 && waiting < 20, "a few runs have events waiting, not the history: " + waiting);
        // Per run waiting: found through the index with its events, claimed for this sweep by one conditional write
        // by _id (so that one process publishes it), emptied by another (the sweep no longer reads each run again).
        assertTrue(examined <= 3 * waiting, "the sweep examined " + examined + " documents for " + waiting
                + " runs with events waiting, next to " + RunHistory.RUNS + " runs of history");

        long idle = DocsExamined.during(db, relay::sweep);
        long stillWaiting = runs.mongoCollection().countDocuments(Filters.eq(OutboxWrites.PENDING, true));
        assertTrue(idle <= 2 * stillWaiting, "a sweep with nothing to do examined " + idle + " documents");
    }

    @Test
    void aFlushReadsAndWritesOnlyItsRun() {
        ObjectId runId = runWithAnEventLeftBehind();

        long examined = DocsExamined.during(db, () -> relay.flush(runId));

        assertTrue(runs.findById(runId).pendingEvents.isEmpty());
        assertNull(runs.findById(runId).outboxPending);
        assertTrue(examined <= 2, "a flush (read by _id, conditional write by _id) examined " + examined);
    }

    /**
     * What a worker killed right after its claim's write, before the relay removed run.started, leaves: the run, and
     * run.started waiting, flagged. Written directly, since a claim now hands its event to the relay at once.
     */
    private ObjectId runWithAnEventLeftBehind() {
        ObjectId runId = Fixtures.trigger(user, workflowId, Map.of("prompt", "x"));
        Fixtures.awaitRelayed(runs, runId);
        Run queued = runs.findById(runId);
        runs.mongoCollection().updateOne(Filters.eq("_id", runId),
                OutboxWrites.replaceRequests(List.of(events.lifecycle(queued, "run.started", 1))));
        Run claimed = runs.findById(runId);
        assertEquals(1, claimed.pendingEvents.size());
        assertEquals(Boolean.TRUE, claimed.outboxPending);
        return runId;
    }
}
