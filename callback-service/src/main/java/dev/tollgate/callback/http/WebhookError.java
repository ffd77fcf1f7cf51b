package dev.tollgate.callback.http;

/**
 * A failure answered in the "webhooks" family's style, {@code {"success":false,"error":code,"message":...}}.
 * {@code code} is stable: clients branch on it.
 */
public class WebhookError extends RuntimeException {

    private final int status;
    private final String code;

    public WebhookError(int status, String code, String message) {
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
}
