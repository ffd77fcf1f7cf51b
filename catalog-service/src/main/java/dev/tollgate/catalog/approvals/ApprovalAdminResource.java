package dev.tollgate.catalog.approvals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tollgate.catalog.budgets.Budget;
import dev.tollgate.catalog.budgets.BudgetRepository;
import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.RequestFields;
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
 * Seeing and approving approval requests. Approving an {@code add_workflow} request enables the workflow, an admin's
 * act alone; approving a {@code credential} request takes the credential's value and stores it, which the budget's
 * owner may do too. Anyone else's requests are not found.
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
        if (budgetId == null) { // it answered "Budget not found"
            throw new dev.tollgate.platform.web.ValidationProblem(List.of(dev.tollgate.platform.web.ValidationProblem.FieldError.of(
                    List.of("query", "budget_id"), "Field required", "missing", null)));
        }
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
        Budget budget = r == null ? null : budgets.findByHexId(r.budgetId).filter(this::visible).orElse(null);
        if (budget == null) {
            // Another budget's request is answered as one that does not exist: nothing tells the two apart.
            throw CatalogError.notFound("Approval request not found");
        }
        if (!ApprovalRequest.OPEN.equals(r.status)) {
            return Map.of("success", true, "data", Map.of("approval_request", view(r))); // approving twice is harmless
        }
        if (ApprovalRequest.ADD_WORKFLOW.equals(r.kind) && !isAdmin()) {
            // The budget's owner is who the API key's token speaks for: an agent approving its own request would
            // add any workflow on the platform to its budget. Providing a credential for one's own budget is no such
            // widening, so the owner still does that.
            throw new CatalogError(403, "admin_approval_required",
                    "Only an admin approves adding a workflow to a budget");
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
        return budgets.findByHexId(budgetId).filter(this::visible)
                .orElseThrow(() -> CatalogError.notFound("Budget not found"));
    }

    private boolean visible(Budget b) {
        return isAdmin() || b.ownerUserId.equals(caller.getSubject());
    }

    private boolean isAdmin() {
        return caller.getGroups().contains("admin");
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
