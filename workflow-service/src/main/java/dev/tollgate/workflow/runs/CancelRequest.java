package dev.tollgate.workflow.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.workflow.config.WorkflowConfig;

/** The optional body of a cancel, {@code {"reason": "...", "request_id": "..."}}, checked against the limits. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CancelRequest(String reason, String requestId) {

    static final CancelRequest NONE = new CancelRequest(null, null);

    /** {@code body}: the parsed body, or null when the cancel came without one. */
    static CancelRequest from(JsonNode body, WorkflowConfig.Limits limits) {
        if (body == null) {
            return NONE;
        }
        if (!body.isObject()) {
            throw TriggerRequest.invalid("The body must be a JSON object");
        }
        return new CancelRequest(bounded(body, "reason", limits.maxCancelReasonLength()),
                bounded(body, "request_id", limits.maxRequestIdLength()));
    }

    private static String bounded(JsonNode body, String field, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().length() > max) {
            throw TriggerRequest.invalid(field + " must be a string of at most " + max + " characters");
        }
        return n.asText();
    }
}
