package dev.tollgate.workflow.outbox;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunSnapshots;
import dev.tollgate.workflow.runs.RunView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The events a run produces, as CloudEvents-shaped JSON. Lifecycle events carry the run exactly as the status
 * endpoint shows it after the change, so callback-service can POST it without asking anyone.
 */
@ApplicationScoped
public class RunEvents {

    public static final String REQUESTED_TOPIC = "workflow.run.requested";
    public static final String LIFECYCLE_TOPIC = "workflow.run.lifecycle";

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

    /** Asks the workers to run a run just triggered (attempt 1). */
    public FirstRequest firstRequest(Run run) {
        Map<String, Object> data = requestData(run, 1);
        Map<String, Object> event = envelope(run, "run.requested", "run.requested:1", data);
        PendingEvent stored = pending(run, REQUESTED_TOPIC, event);
        // The same envelope (one id, one time) serialized again with the run added to its data.
        data.put(RunSnapshots.FIELD, snapshots.of(run));
        return new FirstRequest(stored, pending(run, REQUESTED_TOPIC, event));
    }

    /** Asks the workers to run it (attempt n): they read the run as it is then. */
    public PendingEvent requested(Run run, int attempt) {
        return requested(run, attempt, "");
    }

    /** Asks again for a run whose request went missing; {@code nonce} keeps the event id new. */
    public PendingEvent requested(Run run, int attempt, String nonce) {
        return event(run, REQUESTED_TOPIC, "run.requested", "run.requested:" + attempt + nonce,
                requestData(run, attempt));
    }

    private static Map<String, Object> requestData(Run run, int attempt) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("run_id", run.id.toHexString());
        data.put("workflow_id", run.workflowId);
        data.put("attempt", attempt);
        return data;
    }

    /** {@code type}: run.started, run.completed, run.failed, run.cancelled, run.setup_required. */
    public PendingEvent lifecycle(Run run, String type, int attempt) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("run", RunView.of(run));
        data.put("owner_user_id", run.ownerUserId);
        data.put("budget_id", run.budgetId);
        return event(run, LIFECYCLE_TOPIC, type, type + ":" + attempt, data);
    }

    private PendingEvent event(Run run, String topic, String type, String idSuffix, Map<String, Object> data) {
        return pending(run, topic, envelope(run, type, idSuffix, data));
    }

    private static Map<String, Object> envelope(Run run, String type, String idSuffix, Map<String, Object> data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", run.id.toHexString() + ":" + idSuffix);
        event.put("source", "tollgate/workflow-service");
        event.put("type", type);
        event.put("subject", run.id.toHexString());
        event.put("time", Instant.now().toString());
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        return event;
    }

    private PendingEvent pending(Run run, String topic, Map<String, Object> event) {
        try {
            return new PendingEvent((String) event.get("id"), topic, run.id.toHexString(),
                    json.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
