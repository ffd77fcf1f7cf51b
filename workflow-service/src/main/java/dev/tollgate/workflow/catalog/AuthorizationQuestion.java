package dev.tollgate.workflow.catalog;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What {@code POST /internal/workflow-authorizations} takes: may budget {@code budget_id} run {@code workflow_id},
 * which needs {@code required_credentials} (keys)? A caller without a budget asks with an empty budget id, which the
 * catalog refuses like an unknown budget.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AuthorizationQuestion(String budgetId, String workflowId, List<String> requiredCredentials) {
}
