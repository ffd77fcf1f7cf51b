package dev.tollgate.catalog.budgets;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A budget as its owner and admins see it; credentials only by key, last four characters and when they were set. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BudgetView(String budgetId, String ownerUserId, String name, List<String> productIds,
        List<String> workflowIds, List<CredentialView> credentials, String createdAt) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CredentialView(String key, String last4, String updatedAt) {
    }

    public static BudgetView of(Budget b, List<String> productIds) {
        return new BudgetView(b.id.toHexString(), b.ownerUserId, b.name, productIds,
                b.workflowIds == null ? List.of() : b.workflowIds,
                b.credentials == null ? List.of() : b.credentials.entrySet().stream()
                        .map(e -> new CredentialView(e.getKey(), e.getValue().last4, iso(e.getValue().updatedAt)))
                        .toList(),
                iso(b.createdAt));
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
