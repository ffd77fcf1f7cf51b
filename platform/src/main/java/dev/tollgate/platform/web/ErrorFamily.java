package dev.tollgate.platform.web;

/**
 * The contract's two error styles. Every refusal a service or the gateway makes takes the style of the path it
 * answers, so a client parses it like the owning service's own errors.
 */
public enum ErrorFamily {
    /** {@code {"detail": "...", "error": code}}: credits, catalog, the gateway's own and public paths. */
    API,
    /**
     * {@code {"success": false, "error": code, "message": "..."}}: {@code /api/agent-webhooks/**} and the admin APIs of
     * workflow-service and callback-service.
     */
    WEBHOOKS;

    /** The body of a refusal with a stable {@code code} and a message for people. */
    public ErrorBody body(String code, String message) {
        return this == API ? new ErrorBody.Api(message, code) : new ErrorBody.Webhooks(code, message, null);
    }
}
