package dev.tollgate.platform.admission;

import java.util.OptionalLong;

import dev.tollgate.platform.web.CodedError;

/** 503 {@code overloaded} with a {@code Retry-After}: refused before any of the endpoint's work was done. */
public class ServiceOverloaded extends CodedError {

    private final long retryAfterSeconds;

    public ServiceOverloaded(String message, long retryAfterSeconds) {
        super(503, "overloaded", message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public OptionalLong retryAfterSeconds() {
        return OptionalLong.of(retryAfterSeconds);
    }
}
