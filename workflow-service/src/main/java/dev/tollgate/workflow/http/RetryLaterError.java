package dev.tollgate.workflow.http;

import java.util.OptionalLong;

import dev.tollgate.platform.web.CodedError;

/**
 * A refusal that left nothing behind and will pass if repeated a little later: 503 with a {@code Retry-After} (429
 * for a caller over its own share).
 */
public class RetryLaterError extends CodedError {

    private final long retryAfterSeconds;

    public RetryLaterError(String code, String message, long retryAfterSeconds) {
        this(503, code, message, retryAfterSeconds);
    }

    protected RetryLaterError(int status, String code, String message, long retryAfterSeconds) {
        super(status, code, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public OptionalLong retryAfterSeconds() {
        return OptionalLong.of(retryAfterSeconds);
    }
}
