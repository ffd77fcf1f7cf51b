package dev.tollgate.gateway.routing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contract's two error styles. Errors the gateway makes itself (401, 413, 429, 503) take the style of the path
 * they answer, so a client parses them like the owning service's own errors.
 */
public enum ErrorFamily {
    /** {@code {"detail": "...", "error": code}}: credits, catalog, public paths. */
    API,
    /** {@code {"success": false, "error": code, "message": "..."}}: {@code /api/agent-webhooks/**} and the admin APIs of its services. */
    WEBHOOKS;

    public Map<String, Object> body(String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (this == API) {
            body.put("detail", message);
            body.put("error", code);
        } else {
            body.put("success", false);
            body.put("error", code);
            body.put("message", message);
        }
        return body;
    }
}
