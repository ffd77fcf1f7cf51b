package dev.tollgate.workflow.admission;

import dev.tollgate.workflow.http.WebhookError;

/** A trigger refused because the run queue is full: 503 {@code overloaded} with a {@code Retry-After}. */
public class OverloadedError extends WebhookError {

    private final long retryAfterSeconds;

    public OverloadedError(long retryAfterSeconds) {
        super(503, "overloaded", "Too many runs are waiting; nothing was queued. Retry after " + retryAfterSeconds
                + " s (the same request_id is safe to retry)");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
