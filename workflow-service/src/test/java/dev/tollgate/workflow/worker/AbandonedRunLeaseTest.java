package dev.tollgate.workflow.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.mongodb.MongoSocketReadException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.workflow.config.WorkflowConfig;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunRepository;
import dev.tollgate.workflow.runs.RunStatus;
import dev.tollgate.workflow.support.Fixtures;
import dev.tollgate.workflow.workflows.Workflow;
import dev.tollgate.workflow.workflows.WorkflowRepository;
import dev.tollgate.workflow.workflows.WorkflowStep;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * A claim is an attempt's, not the process's. An execution that fails after its claim (the store was killed mid-run)
 * ends its attempt at once: the run goes back to the queue and completes as attempt 2, instead of staying running
 * under this worker's name. If the store cannot take that either, the worker stops renewing the run's lease, so that
 * it runs out and the run is handed back anyway, while the lease of a run it is still executing keeps being renewed.
 * And an attempt whose lease ran out never writes its end over the next attempt's, even when that next attempt runs in
 * the same process. Worker role, lease 3 s, lease keeper every second (the test profile's values).
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@TestProfile(AbandonedRunLeaseTest.WorkerWithFailingStore.class)
class AbandonedRunLeaseTest {

    public static class WorkerWithFailingStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.workflow.role", "worker");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(StoreFailingRunClaims.class);
        }
    }

    @Inject
    RunWorker worker;

    @Inject
    StoreFailingRunClaims store;

    @Inject
    RunRepository runs;

    @Inject
    WorkflowRepository workflows;

    @Inject
    WorkflowConfig config;

    @Test
    void anAttemptThatFailsAfterItsClaimIsHandedBackAtOnceAndTheRunCompletes() {
        ObjectId failed = queuedRun(echoWorkflow());
        store.failNextFinish(failed);

        assertThrows(MongoSocketReadException.class, () -> worker.execute(failed));
        Run handedBack = runs.findById(failed);
        assertEquals(RunStatus.QUEUED, handedBack.status, "the failed attempt ended at once, not left running");
        assertNull(handedBack.leaseOwner, "no lease left behind");
        assertEquals(1, handedBack.attempts);

        // The hand-back published a new request; this worker consumes it and runs the run to its end: attempt 2.
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.findById(failed).completedAt != null);
        Run recovered = runs.findById(failed);
        assertEquals(RunStatus.COMPLETED, recovered.status);
        assertEquals(2, recovered.attempts);
        assertEquals("You said: p", recovered.responseText);
    }

    @Test
    void aRunWhoseHandBackFailedTooIsRecoveredWhenItsLeaseRunsOutWhileARunStillExecutingKeepsItsLease() {
        Workflow workflow = echoWorkflow();
        ObjectId died = queuedRun(workflow);
        ObjectId executing = queuedRun(workflow);
        store.failNextFinish(died);
        store.failNextRecover(died);
        store.holdFinish(executing, 1);
        CompletableFuture<Void> stillExecuting = null;
        try {
            assertThrows(MongoSocketReadException.class, () -> worker.execute(died));
            Run afterFailure = runs.findById(died);
            assertEquals(RunStatus.RUNNING, afterFailure.status, "claimed, then the execution and its hand-back died");
            assertEquals(RunWorker.NAME, afterFailure.leaseOwner, "the lease still names this worker");

            Instant claimedAt = Instant.now();
            stillExecuting = CompletableFuture.runAsync(() -> worker.execute(executing));
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.findById(executing).status == RunStatus.RUNNING);

            // The dead execution's lease runs out, the lease keeper puts the run back in the queue, and this worker
            // consumes the new request and runs it to its end: attempt 2.
            await().atMost(Duration.ofSeconds(60)).until(() -> runs.findById(died).completedAt != null);
            Run recovered = runs.findById(died);
            assertEquals(RunStatus.COMPLETED, recovered.status);
            assertEquals(2, recovered.attempts, "recovered after its lease ran out, then claimed again");
            assertEquals("You said: p", recovered.responseText);

            // Meanwhile, longer than a lease, the run still being executed kept its lease: renewed, never recovered.
            Run held = runs.findById(executing);
            assertEquals(RunStatus.RUNNING, held.status);
            assertEquals(1, held.attempts, "never handed to another attempt");
            assertEquals(RunWorker.NAME, held.leaseOwner);
            assertTrue(held.leaseUntil.isAfter(claimedAt.plus(config.worker().leaseDuration())),
                    "the lease was renewed past its first term: " + held.leaseUntil);
        } finally {
            store.release(executing, 1);
        }
        stillExecuting.join();
        Run finished = runs.findById(executing);
        assertEquals(RunStatus.COMPLETED, finished.status, "the held run ends normally once let go");
        assertEquals(1, finished.attempts);
    }

    @Test
    void anAttemptWhoseLeaseRanOutNeverWritesItsEndOverTheNextAttemptInTheSameProcess() {
        ObjectId runId = queuedRun(echoWorkflow());
        store.holdFinish(runId, 1);
        store.holdFinish(runId, 2);
        // Each attempt on its own thread (the common pool may have a single one on two cores).
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> worker.execute(runId), threads);
        CompletableFuture<Void> second = null;
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> store.waitingToFinish(runId, 1));
            // Attempt 1's lease ran out (its renewals failed, say) and the run went back to the queue; this same
            // process claims it again, as attempt 2, while attempt 1 is still about to write its end.
            runs.mongoCollection().updateOne(Filters.eq("_id", runId), Updates.combine(
                    Updates.set("status", RunStatus.QUEUED), Updates.unset("leaseOwner"), Updates.unset("leaseUntil")));
            second = CompletableFuture.runAsync(() -> worker.execute(runId), threads);
            await().atMost(Duration.ofSeconds(10)).until(() -> store.waitingToFinish(runId, 2));

            store.release(runId, 1);
            first.join();
            Run afterFirst = runs.findById(runId);
            assertEquals(RunStatus.RUNNING, afterFirst.status, "attempt 1 wrote no end over attempt 2's claim");
            assertEquals(2, afterFirst.attempts);
            assertNull(afterFirst.completedAt);
        } finally {
            store.release(runId, 1);
            store.release(runId, 2);
        }
        second.join();
        threads.shutdown();
        Run finished = runs.findById(runId);
        assertEquals(RunStatus.COMPLETED, finished.status);
        assertEquals(2, finished.attempts);
        assertEquals(2, ((Number) finished.runMetadata.get("attempts")).intValue(), "the end is attempt 2's");
    }

    private Workflow echoWorkflow() {
        WorkflowStep step = new WorkflowStep();
        step.id = "answer";
        step.type = "template";
        step.template = "You said: {prompt}";
        Workflow workflow = new Workflow();
        workflow.name = "echo";
        workflow.steps = List.of(step);
        workflow.requiredCredentials = List.of();
        workflow.maxRunSeconds = 300;
        workflow.createdAt = Instant.now();
        workflow.updatedAt = workflow.createdAt;
        workflows.persist(workflow);
        return workflow;
    }

    /** A queued run written straight into the store: no request for it is on Kafka, the test executes it. */
    private ObjectId queuedRun(Workflow workflow) {
        Run run = Fixtures.run("lease-owner", RunStatus.QUEUED);
        run.workflowId = workflow.id.toHexString();
        run.budgetId = "lease-budget";
        runs.persist(run);
        return run.id;
    }
}
