package dev.tollgate.workflow.worker;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.tollgate.platform.store.Sha256;
import dev.tollgate.platform.tracing.TraceParents;
import dev.tollgate.workflow.config.WorkflowConfig;
import dev.tollgate.workflow.outbox.PendingEvent;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunSnapshots;
import dev.tollgate.workflow.runs.RunStatus;
import dev.tollgate.workflow.workflows.Workflow;
import dev.tollgate.workflow.workflows.WorkflowDefinitions;
import dev.tollgate.workflow.workflows.WorkflowStep;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * Runs one run to its end: claim it, execute its steps in order (checking for cancellation and the run's time limit
 * before each), and write how it ended with its lifecycle event. A run whose steps have no side effects (templates
 * only) is executed first and written once, from queued to its end, with no claim.
 */
@ApplicationScoped
public class RunWorker {

    private static final Logger LOG = Logger.getLogger(RunWorker.class);

    /**
     * This process's name on leases: pid@host and a random suffix drawn at start. pid@host alone is not unique over
     * time: in Kubernetes every container is {@code 1@<pod>}, so a container restarted in place would take its dead
     * predecessor's leases for its own.
     */
    public static final String NAME = ManagementFactory.getRuntimeMXBean().getName() + "#"
            + HexFormat.of().toHexDigits(new SecureRandom().nextInt());

    /**
     * How a run's {@code run_metadata.worker} names this process to its user and callback receiver: an opaque
     * reference, logged at start, instead of the lease name (it showed pid@host, the pod's name, to every tenant).
     */
    public static final String PUBLIC_REFERENCE = "w-" + Sha256.hex(NAME).substring(0, 12);

    private final RunClaims claims;
    private final WorkflowDefinitions definitions;
    private final StepRunner steps;
    private final RunSnapshots snapshots;
    private final WorkflowConfig config;
    private final Clock clock;
    private final Tracer tracer;

    /** Runs executed before any claim and written once ({@link #executeUnclaimed}). */
    private final Counter unclaimed;
    /** Runs whose end this worker wrote, by final status (the dashboard's runs per second). */
    private final Map<RunStatus, Counter> ended = new EnumMap<>(RunStatus.class);

    public RunWorker(RunClaims claims, WorkflowDefinitions definitions, StepRunner steps, RunSnapshots snapshots,
            WorkflowConfig config, MeterRegistry metrics, Clock clock, Tracer tracer) {
        this.claims = claims;
        this.definitions = definitions;
        this.steps = steps;
        this.snapshots = snapshots;
        this.config = config;
        this.clock = clock;
        this.tracer = tracer;
        this.unclaimed = metrics.counter("tollgate.workflow.runs.unclaimed");
        for (RunStatus status : RunStatus.values()) {
            if (status.isTerminal()) {
                ended.put(status, Counter.builder("tollgate.workflow.runs.ended")
                        .description("Runs whose end a worker wrote, by final status").tag("status", status.wireName())
                        .register(metrics));
            }
        }
    }

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

    /** Executes the run as it is stored, in its trace (read from the run: there is no request record to carry it). */
    public void execute(ObjectId runId) {
        Run stored = claims.reload(runId);
        execute(runId, null, stored == null ? null : stored.traceParent, () -> { });
    }

    /** Executes the run a {@code run.requested} event ({@code request}, as published) asks for. */
    public void execute(ObjectId runId, String request) {
        execute(runId, request, null, () -> { });
    }

    /**
     * {@link #execute(ObjectId, String, Runnable)} inside a span {@code workflow.run}, a child of {@code traceparent}
     * (the request record's header: the trigger's trace), else of the trace the run carries, so that the run's steps,
     * its purchases and its lifecycle events (and through them its callback) join the trace of the trigger.
     */
    public void execute(ObjectId runId, String request, String traceparent, Runnable decided) {
        Run requested = snapshots.fromRequest(request);
        String parent = TraceParents.isValid(traceparent) ? traceparent
                : requested != null ? requested.traceParent : null;
        Span span = TraceParents.start(tracer, "workflow.run", SpanKind.CONSUMER, parent);
        span.setAttribute("tollgate.run_id", runId.toHexString());
        try (Scope scope = span.makeCurrent()) {
            execute(runId, requested, decided);
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * {@link #execute(ObjectId, String)}, calling {@code decided} as soon as the request needs no replay: the run's
     * unclaimed write applied, its claim was written (its lease protects it from then on), or the claim found it no
     * longer queued. Not called if the execution failed before that (the request is then replayed or requested again).
     */
    public void execute(ObjectId runId, String request, Runnable decided) {
        execute(runId, request, null, decided);
    }

    private void execute(ObjectId runId, Run requested, Runnable decided) {
        Workflow workflow = null;
        // The request's copy of a run carries no outbox (RunSnapshots): whether only requests wait in the stored run
        // is the unclaimed write's filter to check.
        if (requested != null && runId.equals(requested.id) && requested.status == RunStatus.QUEUED
                && requested.updatedAt != null) {
            workflow = definitions.find(new ObjectId(requested.workflowId));
            if (workflow != null && withoutSideEffects(workflow)) {
                if (executeUnclaimed(requested, workflow)) {
                    decided.run();
                    unclaimed.increment();
                    countEnd(requested);
                    return;
                }
                requested = null; // the run changed since its request: the claim reads it as it is now
            }
        }
        Run run = claims.claim(runId, NAME, Instant.now(clock).plus(config.worker().leaseDuration()), requested);
        if (run == null) {
            decided.run();
            return; // another worker has it, or it was cancelled while queued
        }
        int attempt = run.attempts;
        executing.merge(runId, 1, Integer::sum);
        decided.run(); // claimed: from now on the lease, not the request, brings the run back if this worker dies
        try {
            if (workflow == null) { // not looked up yet (a run's workflow never changes)
                workflow = definitions.find(new ObjectId(run.workflowId));
            }
            executeClaimed(run, workflow);
        } catch (RuntimeException e) {
            endAbandonedAttempt(runId, attempt);
            throw e;
        } finally {
            executing.computeIfPresent(runId, (id, n) -> n == 1 ? null : n - 1);
        }
    }

    /**
     * Ends an attempt whose execution failed after its claim (a store error reading or writing the run, a bug), so
     * that the run does not stay running under this worker's name: back to the queue for another attempt, or failed
     * with {@code worker_lost} once attempts are used up, at once and only if the run is still this attempt's. If the
     * store cannot be reached for that either, the lease (no longer renewed: the run leaves {@link #executing}) runs
     * out and the expired-lease sweep does the same.
     */
    private void endAbandonedAttempt(ObjectId runId, int attempt) {
        try {
            // Read back: the request event that puts it in the queue again carries the whole run.
            Run stored = claims.reload(runId);
            if (stored != null && stored.attempts == attempt && NAME.equals(stored.leaseOwner)
                    && stored.status == RunStatus.RUNNING) {
                claims.recover(stored, config.worker().maxAttempts());
            }
        } catch (RuntimeException e) {
            LOG.warnf("run %s: attempt %d failed and could not be handed back (%s); its lease runs out instead", runId,
                    attempt, e.toString());
        }
    }

    /**
     * Whether every step of the workflow only computes (templates): executing one twice, or executing it and
     * throwing the result away, does nothing anyone can see. Tool and model steps call out (and tools charge), so
     * their runs are claimed first.
     */
    static boolean withoutSideEffects(Workflow workflow) {
        return workflow.steps != null && workflow.steps.stream().allMatch(step -> "template".equals(step.type));
    }

    /**
     * Executes a run whose steps have no side effects before any claim, and writes its start and its end in one update
     * conditional on the run being exactly as its request carried it: one store write per run instead of a claim and
     * a finish, and no lease, since nothing needs protecting while templates render (microseconds). Whether it
     * applied: not if the run changed since (a cancellation, or another worker that claimed it); then nothing of
     * this execution is seen anywhere, and the caller claims the run as usual. A worker that dies meanwhile leaves the
     * run queued, as before a claim: the stuck-queued sweep requests it again ({@code requeue-after}).
     */
    private boolean executeUnclaimed(Run run, Workflow workflow) {
        int seenAttempts = run.attempts;
        Instant seenUpdatedAt = run.updatedAt;
        Instant now = Instant.now(clock);
        run.status = RunStatus.RUNNING;
        run.attempts = seenAttempts + 1;
        run.startedAt = run.startedAt == null ? now : run.startedAt;
        run.updatedAt = now;
        PendingEvent started = claims.startedEvent(run); // the run as it started, before the steps change it
        Executed executed = executeSteps(run, workflow, () -> run);
        String ended = ended(run, run, executed.stop(), executed.last(), executed.steps(), executed.credits());
        return claims.finishUnclaimed(run, seenAttempts, seenUpdatedAt, started, ended);
    }

    /**
     * Store round trips per run: the claim (one conditional write when the request carried the run, else a read and
     * the write), a read before each step after the first (cancellation requests arrive that way; the claim has just
     * seen the run for the first), and the finish, one write conditional on the run being as last seen. Only if a
     * cancellation request arrived since is the run read again and the finish written on what it is now.
     */
    private void executeClaimed(Run run, Workflow workflow) {
        ObjectId runId = run.id;
        Executed executed = executeSteps(run, workflow, () -> claims.reload(runId));
        Run latest = executed.latest();
        for (int attempt = 0; attempt < 10; attempt++) {
            Instant seen = latest.updatedAt;
            String event = ended(run, latest, executed.stop(), executed.last(), executed.steps(), executed.credits());
            if (claims.finish(run, NAME, event, seen)) {
                countEnd(run);
                return;
            }
            latest = claims.reload(runId);
            if (latest == null || latest.status != RunStatus.RUNNING || !NAME.equals(latest.leaseOwner)
                    || latest.attempts != run.attempts) {
                // Another worker's, or another attempt of this one's (the lease ran out and the run came back here):
                // only the attempt that holds the claim writes an end.
                LOG.infof("run %s attempt %d was taken over before it finished here; dropping this outcome", runId,
                        run.attempts);
                return;
            }
            // Still ours, changed meanwhile (a cancellation was requested): write the end on the run as it is now.
        }
        throw new IllegalStateException("run " + runId + " kept changing while its end was written");
    }

    private void countEnd(Run run) {
        Counter counter = ended.get(run.status);
        if (counter != null) {
            counter.increment();
        }
    }

    /** How a run's steps went: why they stopped (null: all ran), the last output, the steps run, credits spent. */
    private record Executed(StepResult.Stop stop, String last, List<Map<String, Object>> steps, long credits,
            Run latest) {
    }

    /**
     * Executes the workflow's steps in order, checking before each step after the first for a cancellation and for
     * the run's time limit on the run as {@code beforeNextStep} gives it (the claim has just seen the run for the
     * first); the run as last seen comes back with the result.
     */
    private Executed executeSteps(Run run, Workflow workflow, Supplier<Run> beforeNextStep) {
        Run latest = run;
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
                latest = beforeNextStep.get();
            }
            first = false;
            if (latest.cancelRequestedAt != null) {
                stop = new StepResult.Stop(RunStatus.CANCELLED, "cancelled", "Cancelled while running");
                break;
            }
            if (Instant.now(clock).isAfter(deadline)) {
                stop = new StepResult.Stop(RunStatus.FAILED, "timeout", "The run took longer than its "
                        + workflow.maxRunSeconds + " s");
                break;
            }
            StepResult result;
            Span stepSpan = tracer.spanBuilder("workflow.step").setAttribute("tollgate.step_id", step.id)
                    .setAttribute("tollgate.step_type", step.type).startSpan();
            try (Scope scope = stepSpan.makeCurrent()) {
                result = steps.run(run, step, outputs);
            } catch (StepRunner.PurchaseOutcomeUnknown e) {
                throw e; // no outcome to write: the attempt is handed back (execute)
            } catch (RuntimeException e) {
                LOG.warnf(e, "step %s of run %s failed", step.id, run.id);
                stepSpan.setStatus(StatusCode.ERROR);
                result = new StepResult.Stop(RunStatus.FAILED, "step_failed", "Step " + step.id + " failed unexpectedly");
            } finally {
                stepSpan.end();
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
        return new Executed(stop, last, executed, credits, latest);
    }

    /** Sets the run's final fields on {@code run}, keeping what others wrote as of {@code latest}; the event type. */
    private String ended(Run run, Run latest, StepResult.Stop stop, String last,
            List<Map<String, Object>> executed, long credits) {
        Instant now = Instant.now(clock);
        run.cancelRequestedAt = latest.cancelRequestedAt;
        run.cancelRequestedByUserId = latest.cancelRequestedByUserId;
        run.cancelRequestId = latest.cancelRequestId;
        run.cancelReason = latest.cancelReason;
        run.callbackStatus = latest.callbackStatus;
        run.runMetadata = new LinkedHashMap<>(latest.runMetadata == null ? Map.of() : latest.runMetadata);
        run.runMetadata.put("steps_executed", executed);
        run.runMetadata.put("credits_spent", credits);
        run.runMetadata.put("attempts", run.attempts);
        run.runMetadata.put("worker", PUBLIC_REFERENCE);
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
