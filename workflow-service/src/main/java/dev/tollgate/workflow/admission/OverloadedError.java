package dev.tollgate.workflow.admission;

import dev.tollgate.workflow.http.RetryLaterError;

/**
 * 503 {@code overloaded} with a {@code Retry-After}: a trigger refused because the run queue is full, or a wait for a
 * run's status because this replica holds as many as it may.
 */
public class OverloadedError extends RetryLaterError {

    public OverloadedError(long retryAfterSeconds) {
        this("Too many runs are waiting; nothing was queued. Retry after " + retryAfterSeconds
                + " s (the same request_id is safe to retry)", retryAfterSeconds);
    }

    public OverloadedError(String message, long retryAfterSeconds) {
        super("overloaded", message, retryAfterSeconds);
    }
}
