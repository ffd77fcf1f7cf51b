package dev.tollgate.workflow.worker;

import java.time.Clock;
import java.time.Instant;

import dev.tollgate.workflow.admission.RunQueueLag;
import dev.tollgate.workflow.config.WorkflowConfig;
import dev.tollgate.workflow.roles.ServiceRole;
import dev.tollgate.workflow.runs.Run;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps runs moving, so that none stays queued or running forever: renews the leases of the runs this worker is
 * executing, hands back runs whose worker died or whose execution ended without writing its end (the lease ran out)
 * for another attempt or fails them with {@code worker_lost} once attempts are used up, and requests again queued
 * runs whose request was lost ({@link StuckRequests}: not while requests wait in the queue).
 */
@ApplicationScoped
public class LeaseKeeper {

    private final ServiceRole role;
    private final RunClaims claims;
    private final RunWorker worker;
    private final WorkflowConfig config;
    private final RunQueueLag lag;
    private final Clock clock;

    public LeaseKeeper(ServiceRole role, RunClaims claims, RunWorker worker, WorkflowConfig config, RunQueueLag lag,
            Clock clock) {
        this.role = role;
        this.claims = claims;
        this.worker = worker;
        this.config = config;
        this.lag = lag;
        this.clock = clock;
    }

    @Scheduled(every = "${tollgate.workflow.worker.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void keep() {
        if (!role.isWorker()) {
            return;
        }
        Instant now = Instant.now(clock);
        claims.renew(RunWorker.NAME, worker.executing(), now.plus(config.worker().leaseDuration()));
        // recover hands the events it writes to the relay itself
        for (Run lost : claims.withExpiredLeases(now)) {
            claims.recover(lost, config.worker().maxAttempts());
        }
    }

    /**
     * Apart from {@link #keep}: asking Kafka about the queue may take seconds when it is away, and must not delay a
     * lease's renewal.
     */
    @Scheduled(every = "${tollgate.workflow.worker.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void requestLostRunsAgain() {
        if (!role.isWorker()) {
            return;
        }
        Instant before = Instant.now(clock).minus(config.worker().requeueAfter());
        // requeue hands the events it writes to the relay itself
        for (Run stuck : StuckRequests.lost(claims.stuckQueued(before), () -> lag.tookEverythingPublishedBefore(before))) {
            claims.requeue(stuck);
        }
    }
}
