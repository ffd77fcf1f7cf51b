package dev.tollgate.catalog.approvals;

import java.time.Instant;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** An approval request as its budget's owner and admins see it (who resolved it is not shown). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ApprovalRequestView(String approvalRequestId, String budgetId, String kind, String workflowId,
        String credentialKey, String description, String status, String createdAt, String resolvedAt) {

    public static ApprovalRequestView of(ApprovalRequest r) {
        return new ApprovalRequestView(r.id.toHexString(), r.budgetId, r.kind, r.workflowId, r.credentialKey,
                r.description, r.status, iso(r.createdAt), iso(r.resolvedAt));
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
