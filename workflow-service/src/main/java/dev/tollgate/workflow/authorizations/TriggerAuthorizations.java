package dev.tollgate.workflow.authorizations;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.workflow.catalog.Catalog;
import dev.tollgate.workflow.config.WorkflowConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * "May this budget trigger this workflow?", answered by catalog-service, or by its own "allowed" given less than
 * {@code tollgate.workflow.authorizations.cache-ttl} ago (see {@link AllowedAuthorizations}). Safe to reuse because
 * the answer only gates the trigger: every tool step is still bought, checked and charged by catalog-service when it
 * runs.
 */
@ApplicationScoped
public class TriggerAuthorizations {

    private static final JsonNode ALLOWED = allowedAnswer();

    @Inject
    Catalog catalog;

    @Inject
    WorkflowConfig config;

    private AllowedAuthorizations recent;

    @PostConstruct
    void init() {
        recent = new AllowedAuthorizations(config.authorizations().cacheTtl());
    }

    /** The catalog's answer ({@code allowed}, and the blockers with their approval requests when not). */
    public JsonNode authorize(String budgetId, String workflowId, List<String> requiredCredentials) {
        if (recent.knownAllowed(budgetId, workflowId, requiredCredentials)) {
            return ALLOWED;
        }
        JsonNode answer = catalog.authorize(budgetId, workflowId, requiredCredentials);
        recent.answered(budgetId, workflowId, requiredCredentials, answer.path("allowed").asBoolean());
        return answer;
    }

    /** The workflow's definition changed in this process: ask the catalog again on its next trigger. */
    public void workflowChanged(String workflowId) {
        recent.forgetWorkflow(workflowId);
    }

    private static JsonNode allowedAnswer() {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("allowed", true);
        answer.putArray("blockers");
        return answer;
    }
}
