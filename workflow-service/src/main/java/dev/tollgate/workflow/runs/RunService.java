package dev.tollgate.workflow.runs;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import dev.tollgate.platform.store.Sha256;
import dev.tollgate.platform.tracing.TraceParents;
import dev.tollgate.platform.web.CodedError;
import dev.tollgate.workflow.authorizations.TriggerAuthorizations;
import dev.tollgate.workflow.catalog.WorkflowAuthorization;
import dev.tollgate.workflow.http.RetryLaterError;
import dev.tollgate.workflow.limits.RunLimits;
import dev.tollgate.workflow.outbox.OutboxRelay;
import dev.tollgate.workflow.outbox.PendingEvent;
import dev.tollgate.workflow.workflows.Workflow;
import dev.tollgate.workflow.workflows.WorkflowDefinitions;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

/** Triggering and cancelling runs. Each state change and the events announcing it are one document write. */
@ApplicationScoped
public class RunService {

    private final RunRepository runs;
    private final WorkflowDefinitions definitions;
    private final TriggerAuthorizations authorizations;
    private final RunEvents events;
    private final OutboxRelay relay;
    private final RunIndexes indexes;
    private final Clock clock;
    private final RunLimits limits;

    public RunService(RunRepository runs, WorkflowDefinitions definitions, TriggerAuthorizations authorizations,
            RunEvents events, OutboxRelay relay, RunIndexes indexes, Clock clock, RunLimits limits) {
        this.runs = runs;
        this.definitions = definitions;
        this.authorizations = authorizations;
        this.events = events;
        this.relay = relay;
        this.indexes = indexes;
        this.clock = clock;
        this.limits = limits;
    }

    public record Caller(String userId, String budgetId) {
    }

    public record Triggered(Run run, boolean created) {
    }

    /**
     * One store write when the trigger is new: the insert itself. A repeated {@code request_id} is told by the
     * duplicate key of the request key derived from it ({@link #requestKey}), not by reading first. The existing run is
     * looked up before answering only when the insert found it, or when the trigger is refused (blocked, no budget,
     * catalog down) and carries a {@code request_id}: a replay of a run accepted earlier still gets that run, as it
     * always did.
     *
     * <p>The run id itself is a new ObjectId, which grows with time, even with a {@code request_id}: the runs tree then
     * takes each insert on its last leaves, where the runs being worked on are too, whatever the history behind them.
     * With the request key as the run id (earlier versions), each insert landed on a random leaf of a tree larger than
     * the store's page cache, read from the disk (docs/benchmarks.md, "What the history costs a run").
     */
    public Triggered trigger(Caller caller, String workflowId, TriggerRequest request) {
        if (!ObjectId.isValid(workflowId)) {
            throw new CodedError(400, "invalid_workflow_id", "Workflow id must be a 24-character hexadecimal ObjectId");
        }
        Workflow workflow = definitions.find(new ObjectId(workflowId));
        if (workflow == null) {
            throw new CodedError(404, "workflow_not_found", "No workflow " + workflowId);
        }
        ObjectId requestKey = request.requestId() == null ? null
                : requestKey(caller.userId(), workflowId, request.requestId());
        if (requestKey != null && !indexes.requestKeysIndexed()) {
            // Without its unique index a request key does not stop a twin (at the first start after an upgrade, or
            // while the store was down at start): refuse until it exists rather than risk two runs.
            throw new RetryLaterError("starting", "The run store is being prepared; nothing was queued. Retry after 1 s"
                    + " (the same request_id is safe to retry)", 1);
        }
        try {
            WorkflowAuthorization authorization = authorizations.authorize(caller.budgetId(), workflowId,
                    workflow.requiredCredentials);
            if (!authorization.allowed()) {
                throw new TriggerBlocked(authorization);
            }
        } catch (CodedError refused) {
            Run existing = requestKey == null ? null : runs.findByRequestKey(requestKey);
            if (existing != null) {
                return new Triggered(existing, false);
            }
            throw refused;
        }
        Run run = queued(new ObjectId(), requestKey, caller, workflow, request);
        RunEvents.FirstRequest firstRequest = events.firstRequest(run);
        // run.requested is the one announcement of a new run (workers claim from it; anyone else who wants to know may
        // read it too): a run.queued lifecycle event beside it would be a second record per run that nothing needs.
        // It waits unflagged: the claim replaces it, so the relay never writes to remove it (OutboxWrites).
        run.pendingEvents = new ArrayList<>(List.of(firstRequest.stored()));
        try {
            runs.collection().insertOne(run); // Panache's persist, without its per-call collection lookup
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                // A repeat, or a racing twin that won: the run. Only a request key can clash (the id is new).
                return new Triggered(runs.findByRequestKey(requestKey), false);
            }
            throw e;
        }
        relay.publishRequest(run.id, firstRequest.published());
        return new Triggered(run, true);
    }

    /**
     * The decision is made on the run as read; the write is conditional on the status it was read in and returns the
     * run as written, so the answer needs no second read.
     */
    public Run cancel(Caller caller, String runId, CancelRequest request) {
        ObjectId id = parseRunId(runId);
        for (int attempt = 0; attempt < 10; attempt++) {
            Run run = runs.findOwned(id, caller.userId())
                    .orElseThrow(() -> new CodedError(404, "run_not_found", "No run " + runId + " for this caller"));
            if (run.status == RunStatus.CANCELLED) {
                return run;
            }
            if (run.status.isTerminal()) {
                throw new CodedError(409, "run_not_cancellable", "The run already ended as " + run.status.wireName());
            }
            Instant now = Instant.now(clock);
            if (run.status == RunStatus.QUEUED) {
                run.status = RunStatus.CANCELLED;
                run.completedAt = now;
                run.errorCode = "cancelled";
                run.errorMessage = "Cancelled before it started";
            }
            run.cancelRequestedAt = run.cancelRequestedAt == null ? now : run.cancelRequestedAt;
            run.cancelRequestedByUserId = caller.userId();
            run.cancelRequestId = request.requestId();
            run.cancelReason = request.reason();
            run.updatedAt = now;
            List<PendingEvent> announced = run.status == RunStatus.CANCELLED
                    ? List.of(events.lifecycle(run, "run.cancelled", run.attempts)) : List.of();
            Run written = runs.cancel(run, announced);
            if (written != null) {
                relay.publish(written.id, announced);
                return written;
            }
            // The run changed state meanwhile (a worker claimed it): decide again on what it is now.
        }
        throw new CodedError(409, "run_busy", "The run is changing state; try again");
    }

    public ObjectId parseRunId(String runId) {
        if (!ObjectId.isValid(runId)) {
            throw new CodedError(400, "invalid_run_id", "Run id must be a 24-character hexadecimal ObjectId");
        }
        return new ObjectId(runId);
    }

    private Run queued(ObjectId runId, ObjectId requestKey, Caller caller, Workflow workflow, TriggerRequest request) {
        Instant now = Instant.now(clock);
        Run run = new Run();
        run.id = runId;
        run.workflowId = workflow.id.toHexString();
        run.ownerUserId = caller.userId();
        run.budgetId = caller.budgetId();
        run.status = RunStatus.QUEUED;
        run.prompt = request.prompt();
        run.requestId = request.requestId();
        run.requestKey = requestKey;
        run.sessionId = request.sessionId();
        run.callbackUrl = request.callbackUrl();
        run.callbackStatus = request.callbackUrl() == null ? "skipped" : "pending";
        run.requestMetadata = request.requestMetadata();
        run.traceParent = TraceParents.current().orElse(null);
        run.maxConcurrentRuns = limits.maxConcurrentRuns(caller.budgetId());
        run.runMetadata = new LinkedHashMap<>(Map.of("workflow_name", workflow.name, "steps_planned",
                workflow.steps.size()));
        run.createdAt = now;
        run.updatedAt = now;
        return run;
    }

    /**
     * Same caller, workflow and request_id → the same key, so a repeat (or a racing twin) finds the first run. Earlier
     * versions used it as the run id itself; {@link RunIndexes} copies such ids into {@code requestKey}, so this
     * derivation must not change.
     */
    static ObjectId requestKey(String userId, String workflowId, String requestId) {
        return new ObjectId(Sha256.hex(userId + "\u0000" + workflowId + "\u0000" + requestId).substring(0, 24));
    }
}
