package dev.tollgate.workflow.catalog;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * catalog-service's answer to an {@link AuthorizationQuestion} ({@code data} of its envelope): {@code allowed}, or the
 * blockers with the approval requests opened (or already open) to clear them. {@code workflow_request_id} and
 * {@code add_workflow} are null when the workflow is on the budget. A list the catalog left out reads as empty.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkflowAuthorization(boolean allowed, List<String> blockers, String workflowRequestId,
        List<String> credentialRequestIds, AddWorkflow addWorkflow, List<MissingCredential> missingCredentials) {

    /** What a trigger is told when the catalog said "allowed" a moment ago and is not asked again. */
    public static final WorkflowAuthorization ALLOWED = new WorkflowAuthorization(true, List.of(), null, List.of(),
            null, List.of());

    public WorkflowAuthorization {
        blockers = blockers == null ? List.of() : blockers;
        credentialRequestIds = credentialRequestIds == null ? List.of() : credentialRequestIds;
        missingCredentials = missingCredentials == null ? List.of() : missingCredentials;
    }

    /** The approval request that puts the workflow on the budget. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AddWorkflow(String workflowId, String budgetId) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record MissingCredential(String key, String description) {
    }

    /**
     * What a blocked trigger's 409 carries besides its code and message ({@code data}): the approval requests that
     * clear the block, as the catalog gave them.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Approvals(String workflowRequestId, List<String> credentialRequestIds, AddWorkflow addWorkflow,
            List<MissingCredential> missingCredentials) {
    }

    public Approvals approvals() {
        return new Approvals(workflowRequestId, credentialRequestIds, addWorkflow, missingCredentials);
    }
}
