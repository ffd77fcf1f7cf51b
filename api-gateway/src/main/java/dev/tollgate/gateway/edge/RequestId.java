package dev.tollgate.gateway.edge;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The {@code X-Request-Id} of a request: the caller's, when it is a sane token (so a client can correlate its own
 * logs), else a new one. Never anything that could forge a log line.
 */
public final class RequestId {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestId() {
    }

    public static String accept(String incoming) {
        return incoming != null && SANE.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    }
}
