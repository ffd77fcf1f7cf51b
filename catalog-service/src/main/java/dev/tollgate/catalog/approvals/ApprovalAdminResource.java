package dev.tollgate.catalog.approvals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tollgate.catalog.budgets.Budget;
import dev.tollgate.catalog.budgets.BudgetRepository;
import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.http.JsonBody;
import dev.tollgate.http.RequestFields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Seeing and approving approval requests: an admin, or the owner of the budget. Approving an {@code add_workflow}
 * request enables the workflow; approving a {@code credential} request takes the credential's value and stores it.
 */
@Path("/admin/approval-requests")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ "admin", "user" })
public class ApprovalAdminResource {

    @Inject
    ApprovalRequests approvals;

    @Inject
    BudgetRepository budgets;

    @Inject
    dev.tollgate.catalog.budgets.BudgetCredentials credentials;

    @Inject
    JsonBody json;

    @Inject
    JsonWebToken caller;

    @GET
    public Map<String, Object> list(@QueryParam("budget_id") String budgetId, @QueryParam("status") String status) {
        Budget budget = visibleBudget(budgetId);
        Document filter = new Document("budgetId", budget.id.toHexString());
        if (status != null) {
            filter.append("status", status);
        }
        List<Map<String, Object>> all = approvals.find(filter, new Document("createdAt", -1)).list().stream()
                .map(ApprovalAdminResource::view).toList();
        return Map.of("success", true, "data", Map.of("approval_requests", all));
    }

    @POST
    @Path("/{id}/approve")
    public Map<String, Object> approve(@PathParam("id") String id, String body) {
        ApprovalRequest r = ObjectId.isValid(id) ? approvals.findById(new ObjectId(id)) : null;
        if (r == null) {
            throw CatalogError.notFound("Approval request not found");
        }
        Budget budget = visibleBudget(r.budgetId);
        if (!ApprovalRequest.OPEN.equals(r.status)) {
            return Map.of("success", true, "data", Map.of("approval_request", view(r))); // approving twice is harmless
        }
        if (ApprovalRequest.ADD_WORKFLOW.equals(r.kind)) {
            budgets.addWorkflow(budget.id, r.workflowId);
        } else {
            RequestFields f = RequestFields.ofBody(json.parse(body));
            String value = f.requiredString("value", 8192);
            f.done();
            credentials.store(budget.id, r.credentialKey, value);
        }
        approvals.approve(r.id, caller.getSubject());
        return Map.of("success", true, "data", Map.of("approval_request", view(approvals.findById(r.id))));
    }

    private Budget visibleBudget(String budgetId) {
        Budget b = budgets.findByHexId(budgetId).orElseThrow(() -> CatalogError.notFound("Budget not found"));
        if (!caller.getGroups().contains("admin") && !b.ownerUserId.equals(caller.getSubject())) {
            throw CatalogError.notFound("Budget not found");
        }
        return b;
    }

    static Map<String, Object> view(ApprovalRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("approval_request_id", r.id.toHexString());
        m.put("budget_id", r.budgetId);
        m.put("kind", r.kind);
        m.put("workflow_id", r.workflowId);
        m.put("credential_key", r.credentialKey);
        m.put("description", r.description);
        m.put("status", r.status);
        m.put("created_at", r.createdAt == null ? null : r.createdAt.toString());
        m.put("resolved_at", r.resolvedAt == null ? null : r.resolvedAt.toString());
        return m;
    }
}
