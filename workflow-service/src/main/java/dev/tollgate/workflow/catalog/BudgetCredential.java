package dev.tollgate.workflow.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A budget credential as {@code GET /internal/budgets/{id}/credentials/{key}} gives it ({@code data}), decrypted. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BudgetCredential(String key, String value) {
}
