package dev.tollgate.workflow.runs;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.platform.messaging.CloudEvent;
import dev.tollgate.platform.tracing.TraceParents;
import dev.tollgate.workflow.outbox.PendingEvent;
import dev.tollgate.workflow.outbox.RunTopics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The events a run produces, in the platform's {@link CloudEvent} envelope with typed {@code data}. Lifecycle events carry the run exactly as the status
 * endpoint shows it after the change, so callback-service can POST it without asking anyone.
 */
@ApplicationScoped
public class RunEvents {

    @Inject
    ObjectMapper json;

    @Inject
    RunSnapshots snapshots;

    /**
     * A new run's first {@code run.requested}: {@code published} carries the run as inserted, so a worker can claim it
     * without reading it ({@link RunSnapshots}); {@code stored}, the same event without that copy, waits in the run's
     * outbox, where the run itself is beside it. Only a request republished from the store (after an api crash or a
     * failed send) goes without the copy, and its worker reads the run.
     */
    public record FirstRequest(PendingEvent stored, PendingEvent published) {
    }

    /** {@code data} of a {@code run.requested}; {@code run_bson}, the run as inserted, on a new run's first only. */
    @JsonPropertyOrder({ "run_id", "workflow_id", "attempt", RunSnapshots.FIELD })
    public record RequestData(@JsonProperty("run_id") String runId, @JsonProperty("workflow_id") String workflowId,
            int attempt, @JsonProperty(RunSnapshots.FIELD) @JsonInclude(JsonInclude.Include.NON_NULL) String run) {
    }

    /** {@code data} of a lifecycle event: the run as the status endpoint shows it, and whose it is. */
    public record LifecycleData(RunView run, @JsonProperty("owner_user_id") String ownerUserId,
            @JsonProperty("budget_id") String budgetId) {
    }

    /** Asks the workers to run a run just triggered (attempt 1). */
    public FirstRequest firstRequest(Run run) {
        RequestData data = new RequestData(run.id.toHexString(), run.workflowId, 1, null);
        CloudEvent<RequestData> event = envelope(run, "run.requested", "run.requested:1", data);
        PendingEvent stored = pending(run, RunTopics.REQUESTED, event).forBudget(run.budgetId, run.maxConcurrentRuns);
        // The same envelope (one id, one time) serialized again with the run added to its data.
        CloudEvent<RequestData> withRun = event.withData(
                new RequestData(data.runId(), data.workflowId(), data.attempt(), snapshots.of(run)));
        return new FirstRequest(stored, pending(run, RunTopics.REQUESTED, withRun).forBudget(run.budgetId, run.maxConcurrentRuns));
    }

    /** Asks the workers to run it (attempt n): they read the run as it is then. */
    public PendingEvent requested(Run run, int attempt) {
        return requested(run, attempt, "");
    }

    /** Asks again for a run whose request went missing; {@code nonce} keeps the event id new. */
    public PendingEvent requested(Run run, int attempt, String nonce) {
        return pending(run, RunTopics.REQUESTED, envelope(run, "run.requested", "run.requested:" + attempt + nonce,
                new RequestData(run.id.toHexString(), run.workflowId, attempt, null))).forBudget(run.budgetId, run.maxConcurrentRuns);
    }

    /** {@code type}: run.started, run.completed, run.failed, run.cancelled, run.setup_required. */
    public PendingEvent lifecycle(Run run, String type, int attempt) {
        return pending(run, RunTopics.LIFECYCLE, envelope(run, type, type + ":" + attempt,
                new LifecycleData(RunView.of(run), run.ownerUserId, run.budgetId)));
    }

    private static <T> CloudEvent<T> envelope(Run run, String type, String idSuffix, T data) {
        return CloudEvent.of(run.id.toHexString() + ":" + idSuffix, "tollgate/workflow-service", type,
                run.id.toHexString(), Instant.now().toString(), data);
    }

    private PendingEvent pending(Run run, String topic, CloudEvent<?> event) {
        try {
            // The span writing the event (the trigger's request, the worker's run), else the run's own trace: a sweep
            // that republishes or re-requests a run has no span of the run's.
            return new PendingEvent(event.id(), topic, run.id.toHexString(), json.writeValueAsString(event),
                    TraceParents.currentOr(run.traceParent));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
