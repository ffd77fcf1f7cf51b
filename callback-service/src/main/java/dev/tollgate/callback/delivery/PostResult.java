package dev.tollgate.callback.delivery;

import java.time.Duration;

/**
 * What one POST came to. {@code httpStatus} is null when no response came; {@code blocked} marks a URL that may
 * never be called (so is never retried); {@code retryAfter} is the receiver's {@code Retry-After}, if it sent one.
 */
public record PostResult(Integer httpStatus, String error, Duration retryAfter, long durationMs, boolean blocked) {

    public static PostResult response(int status, String error, Duration retryAfter, long durationMs) {
        return new PostResult(status, error, retryAfter, durationMs, false);
    }

    public static PostResult noResponse(String error, long durationMs) {
        return new PostResult(null, error, null, durationMs, false);
    }

    public static PostResult blocked(String error, long durationMs) {
        return new PostResult(null, error, null, durationMs, true);
    }

    public boolean success() {
        return httpStatus != null && httpStatus >= 200 && httpStatus < 300;
    }
}
