package dev.tollgate.workflow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.client.model.Filters;
import dev.tollgate.localstack.testing.DocsExamined;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.platform.store.StoreClock;
import dev.tollgate.workflow.runs.KafkaEvents;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunSnapshots;
import dev.tollgate.workflow.runs.RunStatus;
import dev.tollgate.workflow.support.AgainstRunHistory;
import dev.tollgate.workflow.support.CatalogServiceResource;
import dev.tollgate.workflow.support.Fixtures;
import dev.tollgate.workflow.support.RunHistory;
import dev.tollgate.workflow.support.WithoutOutboxSweep;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * A worker's writes and the lease keeper's sweeps, next to {@link RunHistory#RUNS} ended runs that all still name
 * this worker's lease, long expired ({@link RunHistory}). A claim and a finish touch one run by {@code _id}; a renewal
 * and each sweep read exactly the runs they act on, which the test counts through the same conditions beforehand.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
@TestProfile(WithoutOutboxSweep.class)
class WorkerDocsExaminedTest extends AgainstRunHistory {

    @Inject
    RunSnapshots snapshots;

    @Inject
    RunWorker worker;

    @Inject
    MeterRegistry metrics;

    private double unclaimedRuns() {
        return metrics.counter("tollgate.workflow.runs.unclaimed").count();
    }

    static final String WORKER = RunHistory.WORKER;

    /**
     * A write with events hands them to the relay, which removes them with one update conditional on them, by
     * {@code _id}, right after Kafka acknowledged them: it may land inside the measured window.
     */
    static final int RELAY = 1;

    @Test
    void aClaimReadsAndWritesOnlyTheRunClaimed() {
        ObjectId runId = queuedRun();

        var claim = DocsExamined.measure(db, () -> claims.claim(runId, WORKER, Instant.now().plusSeconds(30)));

        assertNotNull(claim.result(), "the queued run is claimed");
        assertEquals(RunStatus.RUNNING, runs.findById(runId).status);
        assertAtMost(2 + RELAY, claim.docsExamined(), "claim (read by _id, conditional write by _id)");
        Fixtures.awaitRelayed(runs, runId);
    }

    @Test
    void aClaimOfARunItsRequestCarriesWritesOnlyAndReadsNothing() {
        ObjectId runId = queuedRun();
        Run asRequested = snapshots.fromRequest(request(runId));
        assertNotNull(asRequested, "a new run's first request carries the run");

        var claim = DocsExamined.measure(db, () -> claims.claim(runId, WORKER, Instant.now().plusSeconds(30),
                asRequested));

        assertNotNull(claim.result(), "the queued run is claimed");
        Run stored = runs.findById(runId);
        assertEquals(RunStatus.RUNNING, stored.status);
        assertEquals(1, stored.attempts);
        assertEquals(claim.result().updatedAt, stored.updatedAt, "the run returned is the run as written");
        assertEquals(stored.prompt, claim.result().prompt);
        assertEquals(List.of(runId.toHexString() + ":run.started:1"), stored.pendingEvents.stream().map(e -> e.id).toList(),
                "the claim replaced the request waiting in the run with run.started");
        assertAtMost(1 + RELAY, claim.docsExamined(), "claim as requested (one conditional write by _id)");
        Fixtures.awaitRelayed(runs, runId);
    }

    @Test
    void aRequestWhoseRunChangedSinceIsClaimedOnTheRunAsStoredNow() {
        ObjectId runId = queuedRun();
        Run asRequested = snapshots.fromRequest(request(runId));
        // The run changes after its request was written (here: requested again, which moves updatedAt).
        assertTrue(claims.requeue(runs.findById(runId)));
        Fixtures.awaitRelayed(runs, runId);
        Instant changedAt = runs.findById(runId).updatedAt;

        Run claimed = claims.claim(runId, WORKER, Instant.now().plusSeconds(30), asRequested);

        assertNotNull(claimed, "claimed through a read of the run as it is now");
        assertEquals(1, runs.findById(runId).attempts, "claimed once");
        assertTrue(claimed.updatedAt.isAfter(changedAt) || claimed.updatedAt.equals(changedAt));
        assertEquals(null, claims.claim(runId, WORKER, Instant.now().plusSeconds(30), asRequested),
                "a second delivery of the request claims nothing");
        Fixtures.awaitRelayed(runs, runId);
    }

    @Test
    void aRunOfTemplatesIsWrittenOnceFromQueuedToItsEndWithoutAClaim() {
        ObjectId runId = queuedRun();
        String request = request(runId);
        double before = unclaimedRuns();

        var execution = DocsExamined.measure(db, () -> {
            worker.execute(runId, request);
            return true;
        });

        assertEquals(before + 1, unclaimedRuns(), "executed before any claim");
        Run stored = runs.findById(runId);
        assertEquals(RunStatus.COMPLETED, stored.status);
        assertEquals("You said: x", stored.responseText);
        assertEquals(1, stored.attempts);
        assertNotNull(stored.startedAt);
        assertNull(stored.leaseOwner, "never leased");
        assertAtMost(1 + RELAY, execution.docsExamined(), "a run of templates (one conditional write by _id)");
        Map<String, ?> events = KafkaEvents.forRun(runId.toHexString(), 3);
        assertTrue(events.keySet().containsAll(Set.of(runId + ":run.started:1", runId + ":run.completed:1")),
                "both lifecycle events published: " + events.keySet());
        Fixtures.awaitRelayed(runs, runId);

        worker.execute(runId, request);
        assertEquals(before + 1, unclaimedRuns(), "a second delivery of the request changes nothing");
        assertEquals(stored.updatedAt, runs.findById(runId).updatedAt);
    }

    @Test
    void aRunOfTemplatesThatChangedSinceItsRequestIsClaimedAsUsual() {
        ObjectId runId = queuedRun();
        String request = request(runId);
        // The run changes after its request was written (here: requested again, which moves updatedAt).
        assertTrue(claims.requeue(runs.findById(runId)));
        Fixtures.awaitRelayed(runs, runId);
        double before = unclaimedRuns();

        worker.execute(runId, request);

        assertEquals(before, unclaimedRuns(), "the write from queued did not apply; nothing of it is seen");
        Run stored = runs.findById(runId);
        assertEquals(RunStatus.COMPLETED, stored.status, "claimed and executed on the run as it is now");
        assertEquals(1, stored.attempts, "claimed once");
        Fixtures.awaitRelayed(runs, runId);
    }

    @Test
    void anUnclaimedEndDoesNotApplyToARunAnotherWorkerClaimed() {
        ObjectId runId = queuedRun();
        Run asRequested = snapshots.fromRequest(request(runId));
        assertNotNull(claims.claim(runId, "other@worker", Instant.now().plusSeconds(30)), "another worker claims it");
        int seenAttempts = asRequested.attempts;
        Instant seen = asRequested.updatedAt;
        asRequested.status = RunStatus.RUNNING;
        asRequested.attempts = seenAttempts + 1;
        asRequested.startedAt = Instant.now(StoreClock.MILLIS);
        var started = claims.startedEvent(asRequested);
        asRequested.status = RunStatus.COMPLETED;
        asRequested.responseText = "never seen";
        asRequested.completedAt = Instant.now(StoreClock.MILLIS);
        asRequested.updatedAt = asRequested.completedAt;

        assertFalse(claims.finishUnclaimed(asRequested, seenAttempts, seen, started, "run.completed"));

        Run stored = runs.findById(runId);
        assertEquals(RunStatus.RUNNING, stored.status, "the claim stands");
        assertEquals("other@worker", stored.leaseOwner);
        assertNull(stored.responseText);
        Fixtures.awaitRelayed(runs, runId);
    }

    @Test
    void aLeaseRenewalReadsOnlyTheRunsBeingExecuted() {
        ObjectId runId = queuedRun();
        claims.claim(runId, WORKER, Instant.now().plusSeconds(5));
        Fixtures.awaitRelayed(runs, runId);
        // Another run this worker claimed but no longer executes (its execution died): it names WORKER too.
        ObjectId abandoned = queuedRun();
        Instant abandonedUntil = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
        claims.claim(abandoned, WORKER, abandonedUntil);
        Fixtures.awaitRelayed(runs, abandoned);
        Instant until = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS);

        long examined = DocsExamined.during(db, () -> claims.renew(WORKER, Set.of(runId), until));

        assertEquals(until, runs.findById(runId).leaseUntil, "the lease of the run being executed is extended");
        assertEquals(abandonedUntil, runs.findById(abandoned).leaseUntil, "the abandoned run's lease is left to expire");
        assertAtMost(1, examined, "lease renewal (the runs being executed, by _id)");
    }

    @Test
    void aFinishWritesOnlyTheRunFinished() {
        ObjectId runId = queuedRun();
        Run run = claims.claim(runId, WORKER, Instant.now().plusSeconds(30));
        Fixtures.awaitRelayed(runs, runId);
        Instant seen = run.updatedAt;
        run.status = RunStatus.COMPLETED;
        run.responseText = "You said: x";
        run.completedAt = Instant.now(StoreClock.MILLIS);
        run.updatedAt = run.completedAt;

        var finish = DocsExamined.measure(db, () -> claims.finish(run, WORKER, "run.completed", seen));

        assertTrue(finish.result(), "the lease was still this worker's");
        Run stored = runs.findById(runId);
        assertEquals(RunStatus.COMPLETED, stored.status);
        assertNull(stored.leaseOwner);
        assertAtMost(1 + RELAY, finish.docsExamined(), "finish (one conditional write by _id)");
        Fixtures.awaitRelayed(runs, runId);
    }

    @Test
    void theExpiredLeaseSweepReadsOnlyRunsWhoseLeaseExpired() {
        ObjectId runId = queuedRun();
        Instant now = Instant.now();
        claims.claim(runId, WORKER, now.minusSeconds(1)); // its worker died right after claiming it
        Fixtures.awaitRelayed(runs, runId);
        long expired = count(Filters.and(Filters.eq("status", RunStatus.RUNNING),
                Filters.lt("leaseUntil", Date.from(now))));

        var sweep = DocsExamined.measure(db, () -> claims.withExpiredLeases(now));

        assertTrue(sweep.result().stream().anyMatch(r -> r.id.equals(runId)), "the abandoned run is found");
        assertTrue(expired >= 1 && expired < 20, "a few runs are abandoned, not the history: " + expired);
        assertAtMost(expired, sweep.docsExamined(), "expired-lease sweep");

        Run lost = sweep.result().stream().filter(r -> r.id.equals(runId)).findFirst().orElseThrow();
        var recover = DocsExamined.measure(db, () -> claims.recover(lost, 3));
        assertTrue(recover.result());
        assertEquals(RunStatus.QUEUED, runs.findById(runId).status, "back in the queue for attempt 2");
        assertAtMost(1 + RELAY, recover.docsExamined(), "recover (one conditional write by _id)");
        Fixtures.awaitRelayed(runs, runId);
    }

    @Test
    void theStuckQueuedSweepReadsOnlyQueuedRunsUntouchedSinceTheCutOff() {
        ObjectId runId = queuedRun();
        // The cut-off just after this run's last change: it counts as stuck, and so does every older queued run.
        Instant before = runs.findById(runId).updatedAt.plusMillis(1);
        long queuedBefore = count(Filters.and(Filters.eq("status", RunStatus.QUEUED),
                Filters.lt("updatedAt", Date.from(before))));

        var sweep = DocsExamined.measure(db, () -> claims.stuckQueued(before));

        assertTrue(sweep.result().stream().anyMatch(r -> r.id.equals(runId)), "the run whose request was lost is found");
        assertTrue(queuedBefore >= 1 && queuedBefore < 200, "queued runs of tests, not the history: " + queuedBefore);
        assertAtMost(queuedBefore, sweep.docsExamined(), "stuck-queued sweep");

        Run stuck = sweep.result().stream().filter(r -> r.id.equals(runId)).findFirst().orElseThrow();
        var requeue = DocsExamined.measure(db, () -> claims.requeue(stuck));
        assertTrue(requeue.result());
        assertAtMost(1 + RELAY, requeue.docsExamined(), "requeue (one conditional write by _id)");
        Fixtures.awaitRelayed(runs, runId);
        assertTrue(runs.findById(runId).pendingEvents.isEmpty(),
                "the new request replaced the first, and the relay removed it once published");
        assertTrue(KafkaEvents.forRun(runId.toHexString(), 2).keySet().stream().anyMatch(id -> id.contains(":requeued:")),
                "the new request was published");
    }

    /** The run's first {@code run.requested} event as published. */
    private static String request(ObjectId runId) {
        return KafkaEvents.forRun(runId.toHexString(), 1).get(runId.toHexString() + ":run.requested:1").toString();
    }

    /** A run triggered through the API whose first events the relay has published. */
    private ObjectId queuedRun() {
        ObjectId runId = Fixtures.trigger(user, workflowId, Map.of("prompt", "x"));
        Fixtures.awaitRelayed(runs, runId);
        return runId;
    }

    private long count(Bson filter) {
        return runs.mongoCollection().countDocuments(filter);
    }

    static void assertAtMost(long bound, long examined, String operation) {
        assertTrue(examined <= bound, operation + " examined " + examined + " documents (at most " + bound
                + " expected, with " + RunHistory.RUNS + " runs of history in the store)");
    }
}
