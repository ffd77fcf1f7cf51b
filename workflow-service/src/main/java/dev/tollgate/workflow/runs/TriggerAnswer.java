package dev.tollgate.workflow.runs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.web.MessageEnvelope;

/**
 * The {@code data} of a trigger's answer (200 new, 202 a replay of its {@code request_id}): the run as accepted and
 * where to poll it, in the envelope with the contract's {@code message}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TriggerAnswer(AcceptedRun run, String statusUrl) {

    static MessageEnvelope<TriggerAnswer> of(Run run, String statusUrl) {
        return MessageEnvelope.of("Workflow trigger accepted", new TriggerAnswer(AcceptedRun.of(run), statusUrl));
    }

    /** The run as the trigger answer shows it: its identity, status and times, and any cancellation; all present. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AcceptedRun(String runId, String workflowId, String status, String createdAt, String updatedAt,
            String cancelRequestedAt, String cancelRequestId, String cancelReason) {

        static AcceptedRun of(Run run) {
            RunView view = RunView.of(run);
            return new AcceptedRun(view.runId(), view.workflowId(), view.status(), view.createdAt(), view.updatedAt(),
                    view.cancelRequestedAt(), view.cancelRequestId(), view.cancelReason());
        }
    }
}
