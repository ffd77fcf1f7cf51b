package dev.tollgate.workflow.worker;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.tollgate.workflow.config.WorkflowConfig;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunClock;
import dev.tollgate.workflow.runs.RunSnapshots;
import dev.tollgate.workflow.runs.RunStatus;
import dev.tollgate.workflow.workflows.Workflow;
import dev.tollgate.workflow.workflows.WorkflowDefinitions;
import dev.tollgate.workflow.workflows.WorkflowStep;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * Runs one run to its end: claim it, execute its steps in order (checking for cancellation and the run's time limit
 * before each), and write how it ended with its lifecycle event.
 */
@ApplicationScoped
public class RunWorker {

    private static final Logger LOG = Logger.getLogger(RunWorker.class);

    /** This process's name on leases: pid@host, unique enough among live workers. */
    public static final String NAME = ManagementFactory.getRuntimeMXBean().getName();

    @Inject
    RunClaims claims;

    @Inject
    WorkflowDefinitions definitions;

    @Inject
    StepRunner steps;

    @Inject
    RunSnapshots snapshots;

    @Inject
    WorkflowConfig config;

    /**
     * The runs this process is executing right now (with how many executions each, should a run taken over from this
     * process come back to it while the first execution still winds down): only their leases are renewed. A run whose
     * execution ended without writing its end (the store failed mid-run, a bug) leaves this map, so its lease runs out
     * and the expired-lease sweep hands it to another attempt, although its {@code leaseOwner} still names this
     * process.
     */
    private final Map<ObjectId, Integer> executing = new ConcurrentHashMap<>();

    /** A snapshot of the runs being executed, for lease renewal. */
    public Set<ObjectId> executing() {
        return Set.copyOf(executing.keySet());
    }

    public void execute(ObjectId runId) {
        execute(runId, null);
    }

    /** Executes the run a {@code run.requested} event ({@code request}, as published) asks for. */
    public void execute(ObjectId runId, String request) {
        Run run = claims.claim(runId, NAME, Instant.now().plus(config.worker().leaseDuration()),
                snapshots.fromRequest(request));
        if (run == null) {
            return; // another worker has it, or it was cancelled while queued
        }
        executing.merge(runId, 1, Integer::sum);
        try {
            executeClaimed(run);
        } finally {
            executing.computeIfPresent(runId, (id, n) -> n == 1 ? null : n - 1);
        }
    }

    /**
     * Store round trips per run: the claim (one conditional write when the request carried the run, else a read and
     * the write), a read before each step after the first (cancellation requests arrive that way; the claim has just
     * seen the run for the first), and the finish, one write conditional on the run being as last seen. Only if a
     * cancellation request arrived since is the run read again and the finish written on what it is now.
     */
    private void executeClaimed(Run run) {
        ObjectId runId = run.id;
        Workflow workflow = definitions.find(new ObjectId(run.workflowId));
        Run latest = run; // the run as last read from the store (the claim returns it as written)
        Map<String, String> outputs = new LinkedHashMap<>();
        List<Map<String, Object>> executed = new ArrayList<>();
        long credits = 0;
        String last = null;
        Instant deadline = run.startedAt.plusSeconds(workflow == null ? 60 : workflow.maxRunSeconds);
        StepResult.Stop stop = workflow == null
                ? new StepResult.Stop(RunStatus.FAILED, "workflow_not_found", "The workflow was deleted") : null;
        boolean first = true;
        for (WorkflowStep step : workflow == null ? List.<WorkflowStep>of() : workflow.steps) {
            if (!first) {
                latest = claims.reload(runId);
            }
            first = false;
            if (latest.cancelRequestedAt != null) {
                stop = new StepResult.Stop(RunStatus.CANCELLED, "cancelled", "Cancelled while running");
                break;
            }
            if (Instant.now().isAfter(deadline)) {
                stop = new StepResult.Stop(RunStatus.FAILED, "timeout", "The run took longer than its "
                        + workflow.maxRunSeconds + " s");
                break;
            }
            StepResult result;
            try {
                result = steps.run(run, step, outputs);
            } catch (RuntimeException e) {
                LOG.warnf(e, "step %s of run %s failed", step.id, runId);
                result = new StepResult.Stop(RunStatus.FAILED, "step_failed", "Step " + step.id + " failed unexpectedly");
            }
            if (result instanceof StepResult.Stop s) {
                stop = s;
                break;
            }
            StepResult.Output out = (StepResult.Output) result;
            outputs.put(step.id, out.text());
            last = out.text();
            credits += out.creditsSpent();
            if (out.model() != null) {
                run.model = out.model();
            }
            executed.add(Map.of("id", step.id, "type", step.type, "credits", out.creditsSpent()));
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            Instant seen = latest.updatedAt;
            String event = ended(run, latest, stop, last, executed, credits);
            if (claims.finish(run, NAME, event, seen)) {
                return;
            }
            latest = claims.reload(runId);
            if (latest == null || latest.status != RunStatus.RUNNING || !NAME.equals(latest.leaseOwner)) {
                LOG.infof("run %s was taken over before it finished here; dropping this outcome", runId);
                return;
            }
            // Still ours, changed meanwhile (a cancellation was requested): write the end on the run as it is now.
        }
        throw new IllegalStateException("run " + runId + " kept changing while its end was written");
    }

    /** Sets the run's final fields on {@code run}, keeping what others wrote as of {@code latest}; the event type. */
    private static String ended(Run run, Run latest, StepResult.Stop stop, String last,
            List<Map<String, Object>> executed, long credits) {
        Instant now = RunClock.now();
        run.cancelRequestedAt = latest.cancelRequestedAt;
        run.cancelRequestedByUserId = latest.cancelRequestedByUserId;
        run.cancelRequestId = latest.cancelRequestId;
        run.cancelReason = latest.cancelReason;
        run.callbackStatus = latest.callbackStatus;
        run.runMetadata = new LinkedHashMap<>(latest.runMetadata == null ? Map.of() : latest.runMetadata);
        run.runMetadata.put("steps_executed", executed);
        run.runMetadata.put("credits_spent", credits);
        run.runMetadata.put("attempts", run.attempts);
        run.runMetadata.put("worker", NAME);
        run.completedAt = now;
        run.updatedAt = now;
        if (stop == null) {
            run.status = RunStatus.COMPLETED;
            run.responseText = last;
            return "run.completed";
        }
        run.status = stop.status();
        run.errorCode = stop.errorCode();
        run.errorMessage = stop.message();
        return "run." + stop.status().wireName();
    }
}
