package dev.tollgate.catalog.approvals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.tollgate.catalog.approvals.WorkflowAuthorization.AddWorkflow;
import dev.tollgate.catalog.approvals.WorkflowAuthorization.MissingCredential;
import dev.tollgate.catalog.approvals.WorkflowAuthorization.RequiredCredential;
import dev.tollgate.catalog.budgets.Budget;
import dev.tollgate.catalog.budgets.BudgetService;
import dev.tollgate.catalog.budgets.Caller;
import dev.tollgate.catalog.http.CatalogError;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

/**
 * What stands between a budget and a workflow, and clearing it. Each blocker gets one open approval request, however
 * often it is asked about. Approving an {@code add_workflow} request enables the workflow, an admin's act alone;
 * approving a {@code credential} request stores the credential, which the budget's owner may do too.
 */
@ApplicationScoped
public class ApprovalService {

    private final ApprovalRequestRepository approvals;
    private final BudgetService budgets;

    public ApprovalService(ApprovalRequestRepository approvals, BudgetService budgets) {
        this.approvals = approvals;
        this.budgets = budgets;
    }

    public WorkflowAuthorization authorize(String budgetId, String workflowId, List<RequiredCredential> required) {
        Budget budget = budgets.lookup(budgetId)
                .orElseThrow(() -> new CatalogError(404, "budget_not_found", "Budget not found"));
        List<String> blockers = new ArrayList<>();
        String workflowRequestId = null;
        if (budget.workflowIds == null || !budget.workflowIds.contains(workflowId)) {
            blockers.add("workflow_not_on_budget");
            workflowRequestId = approvals.openOrGet(budgetId, ApprovalRequest.ADD_WORKFLOW, workflowId, null,
                    "Add workflow " + workflowId + " to this budget").id.toHexString();
        }
        List<String> credentialRequestIds = new ArrayList<>();
        List<MissingCredential> missing = new ArrayList<>();
        for (RequiredCredential c : required) {
            if (c.key().isBlank() || budget.hasCredential(c.key())) {
                continue;
            }
            credentialRequestIds.add(approvals.openOrGet(budgetId, ApprovalRequest.CREDENTIAL, workflowId, c.key(),
                    c.description()).id.toHexString());
            missing.add(new MissingCredential(c.key(), c.description()));
        }
        if (!credentialRequestIds.isEmpty()) {
            blockers.add("missing_credentials");
        }
        return new WorkflowAuthorization(blockers.isEmpty(), blockers, workflowRequestId, credentialRequestIds,
                workflowRequestId == null ? null : new AddWorkflow(workflowId, budgetId), missing);
    }

    /** The budget's requests, newest first; a budget the caller may not see is not found. */
    public List<ApprovalRequest> list(String budgetId, String status, Caller caller) {
        Budget budget = budgets.visible(budgetId, caller);
        return approvals.listByBudget(budget.id.toHexString(), status);
    }

    /**
     * Approves an open request (approving twice is harmless: the request is answered as it stands).
     * {@code credentialValue} reads the credential a {@code credential} request provides; it is not asked for
     * otherwise.
     */
    public ApprovalRequest approve(String id, Caller caller, Supplier<String> credentialValue) {
        ApprovalRequest r = ObjectId.isValid(id) ? approvals.findById(new ObjectId(id)) : null;
        Budget budget = r == null ? null : budgets.findVisible(r.budgetId, caller).orElse(null);
        if (budget == null) {
            // Another budget's request is answered as one that does not exist: nothing tells the two apart.
            throw CatalogError.notFound("Approval request not found");
        }
        if (!ApprovalRequest.OPEN.equals(r.status)) {
            return r;
        }
        if (ApprovalRequest.ADD_WORKFLOW.equals(r.kind) && !caller.admin()) {
            // The budget's owner is who the API key's token speaks for: an agent approving its own request would
            // add any workflow on the platform to its budget. Providing a credential for one's own budget is no such
            // widening, so the owner still does that.
            throw new CatalogError(403, "admin_approval_required",
                    "Only an admin approves adding a workflow to a budget");
        }
        if (ApprovalRequest.ADD_WORKFLOW.equals(r.kind)) {
            budgets.addWorkflow(budget, r.workflowId);
        } else {
            budgets.storeCredential(budget, r.credentialKey, credentialValue.get());
        }
        approvals.approve(r.id, caller.userId());
        return approvals.findById(r.id);
    }
}
