package dev.tollgate.workflow.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.mongodb.MongoSocketReadException;
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
 * A worker whose execution of a run ends with an exception after the claim (the store was killed mid-run) still names
 * itself as the run's lease owner. It must stop renewing that lease, so that the lease runs out and the run is handed
 * back for another attempt and completes, while the lease of a run it is still executing keeps being renewed.
 * Worker role, lease 3 s, lease keeper every second (the test profile's values).
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
    void aRunWhoseExecutionDiedIsRecoveredWhileARunStillExecutingKeepsItsLease() {
        Workflow workflow = echoWorkflow();
        ObjectId died = queuedRun(workflow);
        ObjectId executing = queuedRun(workflow);
        store.failNextFinish(died);
        store.holdFinish(executing);
        CompletableFuture<Void> stillExecuting = null;
        try {
            assertThrows(MongoSocketReadException.class, () -> worker.execute(died));
            Run afterFailure = runs.findById(died);
            assertEquals(RunStatus.RUNNING, afterFailure.status, "claimed, then the execution died");
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
            store.release(executing);
        }
        stillExecuting.join();
        Run finished = runs.findById(executing);
        assertEquals(RunStatus.COMPLETED, finished.status, "the held run ends normally once let go");
        assertEquals(1, finished.attempts);
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
