package dev.tollgate.catalog.approvals;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The answer to "may this budget run this workflow?": {@code allowed}, or the blockers with the approval requests
 * that clear them. {@code workflow_request_id} and {@code add_workflow} are null when the workflow is on the budget.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WorkflowAuthorization(boolean allowed, List<String> blockers, String workflowRequestId,
        List<String> credentialRequestIds, AddWorkflow addWorkflow, List<MissingCredential> missingCredentials) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AddWorkflow(String workflowId, String budgetId) {
    }

    public record MissingCredential(String key, String description) {
    }

    /** A credential the workflow needs, as workflow-service describes it. */
    public record RequiredCredential(String key, String description) {
    }
}
