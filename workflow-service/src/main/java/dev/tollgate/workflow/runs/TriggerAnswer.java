package dev.tollgate.workflow.runs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.web.Envelope;

/**
 * The answer to a trigger (200 new, 202 a replay of its {@code request_id}): the family's envelope around the run as
 * accepted and where to poll it, followed by the contract's {@code message}.
 */
@JsonPropertyOrder({ "success", "data", "message" })
public record TriggerAnswer(@JsonUnwrapped Envelope<Accepted> envelope, String message) {

    static TriggerAnswer of(Run run, String statusUrl) {
        return new TriggerAnswer(Envelope.of(new Accepted(AcceptedRun.of(run), statusUrl)),
                "Workflow trigger accepted");
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Accepted(AcceptedRun run, String statusUrl) {
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
