package dev.tollgate.workflow.http;

import dev.tollgate.platform.web.CodedError;

/**
 * A failure answered in the "webhooks" family's style, {@code {"success":false,"error":code,"message":...}}.
 * {@code code} is stable: clients branch on it.
 */
public class WebhookError extends CodedError {

    public WebhookError(int status, String code, String message) {
        super(status, code, message);
    }
}
