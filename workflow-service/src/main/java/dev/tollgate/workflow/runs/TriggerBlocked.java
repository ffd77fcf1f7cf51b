package dev.tollgate.workflow.runs;

import dev.tollgate.platform.web.CodedError;
import dev.tollgate.workflow.catalog.WorkflowAuthorization;

/**
 * A trigger the catalog did not authorize: a 409 whose code is the one blocker (or {@code setup_required} for
 * several), and whose body also carries the approval requests that clear the block, as the catalog gave them.
 */
public final class TriggerBlocked extends CodedError {

    private final transient WorkflowAuthorization.Approvals approvals;

    TriggerBlocked(WorkflowAuthorization authorization) {
        this(code(authorization), authorization.approvals());
    }

    private TriggerBlocked(String code, WorkflowAuthorization.Approvals approvals) {
        super(409, code, message(code));
        this.approvals = approvals;
    }

    @Override
    public WorkflowAuthorization.Approvals data() {
        return approvals;
    }

    private static String code(WorkflowAuthorization authorization) {
        return authorization.blockers().size() == 1 ? authorization.blockers().getFirst() : "setup_required";
    }

    private static String message(String code) {
        return switch (code) {
            case "workflow_not_on_budget" -> "This workflow is not enabled on your budget; an approval request was opened";
            case "missing_credentials" -> "Credentials this workflow needs are missing; approval requests were opened";
            default -> "This workflow needs setup before it can run; approval requests were opened";
        };
    }
}
