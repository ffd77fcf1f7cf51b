package dev.tollgate.catalog.approvals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.catalog.budgets.Budget;
import dev.tollgate.catalog.budgets.BudgetRepository;
import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.RequestFields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Internal, for workflow-service: "may budget B run workflow W, which needs credentials C?" Either
 * {@code allowed: true}, or the blockers with the approval requests opened (or already open) to clear them.
 */
@Path("/internal/workflow-authorizations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("service")
public class WorkflowAuthorizationResource {

    @Inject
    BudgetRepository budgets;

    @Inject
    ApprovalRequests approvals;

    @Inject
    JsonBody json;

    @POST
    public Map<String, Object> authorize(String body) {
        RequestFields f = RequestFields.ofBody(json.parse(body));
        String budgetId = f.requiredString("budget_id", 64);
        String workflowId = f.requiredString("workflow_id", 64);
        JsonNode required = f.node("required_credentials", false);
        f.done();
        Budget budget = budgets.findByHexId(budgetId)
                .orElseThrow(() -> new CatalogError(404, "budget_not_found", "Budget not found"));

        List<String> blockers = new ArrayList<>();
        String workflowRequestId = null;
        if (budget.workflowIds == null || !budget.workflowIds.contains(workflowId)) {
            blockers.add("workflow_not_on_budget");
            workflowRequestId = approvals.openOrGet(budgetId, ApprovalRequest.ADD_WORKFLOW, workflowId, null,
                    "Add workflow " + workflowId + " to this budget").id.toHexString();
        }
        List<String> credentialRequestIds = new ArrayList<>();
        List<Map<String, Object>> missing = new ArrayList<>();
        if (required != null && required.isArray()) {
            for (JsonNode c : required) {
                String key = c.isTextual() ? c.asText() : c.path("key").asText();
                if (key.isBlank() || budget.hasCredential(key)) {
                    continue;
                }
                String description = c.path("description").asText("Credential " + key);
                credentialRequestIds.add(approvals.openOrGet(budgetId, ApprovalRequest.CREDENTIAL, workflowId, key,
                        description).id.toHexString());
                Map<String, Object> descriptor = new LinkedHashMap<>();
                descriptor.put("key", key);
                descriptor.put("description", description);
                missing.add(descriptor);
            }
        }
        if (!credentialRequestIds.isEmpty()) {
            blockers.add("missing_credentials");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("allowed", blockers.isEmpty());
        data.put("blockers", blockers);
        data.put("workflow_request_id", workflowRequestId);
        data.put("credential_request_ids", credentialRequestIds);
        data.put("add_workflow", workflowRequestId == null ? null : Map.of("workflow_id", workflowId, "budget_id", budgetId));
        data.put("missing_credentials", missing);
        return Map.of("success", true, "data", data);
    }
}
