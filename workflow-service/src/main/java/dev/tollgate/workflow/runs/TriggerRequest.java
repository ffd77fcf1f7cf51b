package dev.tollgate.workflow.runs;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.egress.EgressPolicy;
import dev.tollgate.platform.egress.EgressRefused;
import dev.tollgate.platform.web.CodedError;
import dev.tollgate.workflow.config.WorkflowConfig;

/**
 * The body of a trigger, checked against the documented limits. The callback URL is checked here by the platform's
 * egress rules ({@link EgressPolicy}) for what can be seen without DNS (scheme, local names, address literals);
 * callback-service checks every resolved address when it connects, which is what defeats DNS rebinding.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TriggerRequest(String prompt, String requestId, String callbackUrl, Map<String, Object> requestMetadata,
        String sessionId) {

    @SuppressWarnings("unchecked")
    public static TriggerRequest from(JsonNode body, WorkflowConfig.Limits limits, boolean allowLoopbackHttp,
            ObjectMapper mapper) {
        if (body == null || !body.isObject()) {
            throw invalid("The body must be a JSON object");
        }
        JsonNode prompt = body.get("prompt");
        if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
            throw invalid("prompt is required and must be a non-empty string");
        }
        if (prompt.asText().length() > limits.maxPromptLength()) {
            throw invalid("prompt is longer than " + limits.maxPromptLength() + " characters");
        }
        String requestId = optionalText(body, "request_id", limits.maxRequestIdLength());
        String sessionId = optionalText(body, "session_id", 200);
        String callbackUrl = optionalText(body, "callback_url", limits.maxCallbackUrlLength());
        if (callbackUrl != null) {
            checkCallbackUrl(callbackUrl, allowLoopbackHttp);
        }
        Map<String, Object> metadata = Map.of();
        JsonNode meta = body.get("request_metadata");
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) {
                throw invalid("request_metadata must be a JSON object");
            }
            if (meta.toString().length() > limits.maxMetadataBytes()) {
                throw invalid("request_metadata is larger than " + limits.maxMetadataBytes() + " bytes");
            }
            if (hasUnstorableKey(meta)) {
                throw invalid("request_metadata keys may not start with '$' or contain '.'");
            }
            metadata = mapper.convertValue(meta, Map.class);
        }
        return new TriggerRequest(prompt.asText(), requestId, callbackUrl, metadata, sessionId);
    }

    private static final EgressPolicy CALLBACKS = EgressPolicy.publicOnly(false);
    private static final EgressPolicy CALLBACKS_WITH_LOOPBACK_HTTP = EgressPolicy.publicOnly(true);

    /** Refuses with a 400 what callback-service would refuse to call: the same rules, as far as they go without DNS. */
    static void checkCallbackUrl(String url, boolean allowLoopbackHttp) {
        try {
            (allowLoopbackHttp ? CALLBACKS_WITH_LOOPBACK_HTTP : CALLBACKS).check(url);
        } catch (EgressRefused refused) {
            throw invalid("callback_url " + refused.reason());
        }
    }

    private static boolean hasUnstorableKey(JsonNode node) {
        if (node.isObject()) {
            for (var it = node.fields(); it.hasNext();) {
                var e = it.next();
                if (e.getKey().startsWith("$") || e.getKey().contains(".") || hasUnstorableKey(e.getValue())) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode n : node) {
                if (hasUnstorableKey(n)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String optionalText(JsonNode body, String field, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > max) {
            throw invalid(field + " must be a non-empty string of at most " + max + " characters");
        }
        return n.asText();
    }

    static CodedError invalid(String message) {
        return new CodedError(400, "invalid_payload", message);
    }
}
