package dev.tollgate.workflow.workflows;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** What an end user may see of a workflow (the gateway's embed pages): its id, name and description. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WorkflowSummary(String workflowId, String name, String description) {

    static WorkflowSummary of(Workflow w) {
        return new WorkflowSummary(w.id.toHexString(), w.name, w.description);
    }
}
