package dev.tollgate.workflow.admission;

import dev.tollgate.workflow.http.RetryLaterError;

/**
 * 429 {@code rate_limited} with a {@code Retry-After}: this budget triggers faster than its share while other budgets
 * trigger too ({@link TriggerPacing}). Nothing was queued.
 */
public class BudgetShareExceeded extends RetryLaterError {

    public BudgetShareExceeded(long retryAfterSeconds) {
        super(429, "rate_limited", "This budget is triggering runs faster than its share while other budgets trigger "
                + "too; nothing was queued. Retry after " + retryAfterSeconds + " s (the same request_id is safe to "
                + "retry)", retryAfterSeconds);
    }
}
