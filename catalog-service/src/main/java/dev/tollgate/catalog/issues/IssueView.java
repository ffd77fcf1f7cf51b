package dev.tollgate.catalog.issues;

import java.time.Instant;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** An issue report as admins triage it; {@code product_id} is the reference exactly as the agent sent it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IssueView(String issueId, String status, String productId, boolean productFound, String productName,
        String lookupMethod, String errorMessage, String recommendedImprovements, String reporterUserId,
        String instanceId, String createdAt, String resolution, String closedAt) {

    public static IssueView of(IssueReport r) {
        return new IssueView(r.id.toHexString(), r.status, r.productReference, r.productId != null, r.productName,
                r.lookupMethod, r.errorMessage, r.recommendedImprovements, r.reporterUserId, r.instanceId,
                iso(r.createdAt), r.resolution, iso(r.closedAt));
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
