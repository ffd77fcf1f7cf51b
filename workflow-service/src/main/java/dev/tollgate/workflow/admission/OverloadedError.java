package dev.tollgate.workflow.admission;

import dev.tollgate.workflow.http.RetryLaterError;

/** A trigger refused because the run queue is full: 503 {@code overloaded} with a {@code Retry-After}. */
public class OverloadedError extends RetryLaterError {

    public OverloadedError(long retryAfterSeconds) {
        super("overloaded", "Too many runs are waiting; nothing was queued. Retry after " + retryAfterSeconds
                + " s (the same request_id is safe to retry)", retryAfterSeconds);
    }
}
