package dev.tollgate.platform.web;

import java.util.OptionalLong;

/**
 * A refusal a service answers on purpose: an HTTP status and a stable code clients branch on, with a human
 * message. Each service renders it in its family's error style. No stack trace is captured: it is not a bug.
 */
public class CodedError extends RuntimeException {

    private final int status;
    private final String code;

    public CodedError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** What the webhooks family's body carries besides the message ({@code data}), if anything. */
    public Object data() {
        return null;
    }

    /** When repeating may pass: answered as {@code Retry-After}, in seconds. */
    public OptionalLong retryAfterSeconds() {
        return OptionalLong.empty();
    }
}
