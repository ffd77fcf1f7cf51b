package dev.tollgate.workflow.authorizations;

import java.util.List;

import dev.tollgate.workflow.catalog.Catalog;
import dev.tollgate.workflow.catalog.WorkflowAuthorization;
import dev.tollgate.workflow.config.WorkflowConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * "May this budget trigger this workflow?", answered by catalog-service, or by its own "allowed" given less than
 * {@code tollgate.workflow.authorizations.cache-ttl} ago (see {@link AllowedAuthorizations}). Safe to reuse because
 * the answer only gates the trigger: every tool step is still bought, checked and charged by catalog-service when it
 * runs.
 */
@ApplicationScoped
public class TriggerAuthorizations {

    private final Catalog catalog;
    private final AllowedAuthorizations recent;

    public TriggerAuthorizations(Catalog catalog, WorkflowConfig config) {
        this.catalog = catalog;
        this.recent = new AllowedAuthorizations(config.authorizations().cacheTtl());
    }

    /** The catalog's answer ({@code allowed}, and the blockers with their approval requests when not). */
    public WorkflowAuthorization authorize(String budgetId, String workflowId, List<String> requiredCredentials) {
        if (recent.knownAllowed(budgetId, workflowId, requiredCredentials)) {
            return WorkflowAuthorization.ALLOWED;
        }
        WorkflowAuthorization answer = catalog.authorize(budgetId, workflowId, requiredCredentials);
        recent.answered(budgetId, workflowId, requiredCredentials, answer.allowed());
        return answer;
    }

    /** The workflow's definition changed in this process: ask the catalog again on its next trigger. */
    public void workflowChanged(String workflowId) {
        recent.forgetWorkflow(workflowId);
    }
}
