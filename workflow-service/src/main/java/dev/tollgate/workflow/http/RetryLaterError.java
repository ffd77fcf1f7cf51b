package dev.tollgate.workflow.http;

/** A refusal that left nothing behind and will pass if repeated a little later: 503 with a {@code Retry-After}. */
public class RetryLaterError extends WebhookError {

    private final long retryAfterSeconds;

    public RetryLaterError(String code, String message, long retryAfterSeconds) {
        super(503, code, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
