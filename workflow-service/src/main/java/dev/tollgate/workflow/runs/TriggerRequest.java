package dev.tollgate.workflow.runs;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.workflow.config.WorkflowConfig;
import dev.tollgate.workflow.http.WebhookError;

/**
 * The body of a trigger, checked against the documented limits. The callback URL is checked here for what can be
 * seen without DNS (scheme, literal private addresses, local names); callback-service checks the resolved address
 * again when it connects, which is what defeats DNS rebinding.
 */
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

    static void checkCallbackUrl(String url, boolean allowLoopbackHttp) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw invalid("callback_url is not a valid URL");
        }
        if (uri.getScheme() == null || uri.getRawAuthority() == null || uri.getHost() == null
                || uri.getUserInfo() != null) {
            throw invalid("callback_url must be an absolute URL without credentials");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT); // schemes are case-insensitive (RFC 3986)
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            throw invalid("callback_url has a port outside 1-65535");
        }
        String host = asciiHost(uri.getHost());
        boolean loopbackHttpAllowed = allowLoopbackHttp && "http".equals(scheme) && "127.0.0.1".equals(host);
        if (loopbackHttpAllowed) {
            return;
        }
        if (!"https".equals(scheme)) {
            throw invalid("callback_url must use https");
        }
        if (host.equals("localhost") || host.endsWith(".localhost") || host.endsWith(".local")
                || host.endsWith(".internal") || host.equals("metadata.google.internal")) {
            throw invalid("callback_url may not point at a local or internal host");
        }
        if (host.startsWith("[") || DOTTED_DECIMAL.matcher(host).matches()) {
            InetAddress address;
            try {
                address = InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
            } catch (java.net.UnknownHostException e) {
                throw invalid("callback_url has an invalid address");
            }
            if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                    || address.isAnyLocalAddress() || address.isMulticastAddress()
                    || (address.getAddress().length == 16 && (address.getAddress()[0] & 0xfe) == 0xfc)) {
                throw invalid("callback_url may not point at a private, loopback or link-local address");
            }
        } else if (NUMERIC_LAST_LABEL.matcher(host).find()) {
            // No top-level domain is numeric: this is an address in another notation (0x7f000001, 0177.0.0.1,
            // 2130706433, 127.1), which resolvers read as IPv4. Only the dotted-decimal form is taken.
            throw invalid("callback_url must give an IPv4 address in dotted decimal (four numbers 0-255)");
        }
    }

    private static final java.util.regex.Pattern DOTTED_DECIMAL = java.util.regex.Pattern
            .compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final java.util.regex.Pattern NUMERIC_LAST_LABEL = java.util.regex.Pattern
            .compile("(^|\\.)(0x[0-9a-f]*|[0-9]+)\\.?$");
    private static final java.util.regex.Pattern LDH_LABEL = java.util.regex.Pattern
            .compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");

    /** The host in ASCII, lower case: an IP literal as given, a name checked label by label (RFC 1035 lengths). */
    private static String asciiHost(String host) {
        if (host.startsWith("[")) {
            return host;
        }
        String ascii;
        try {
            ascii = IDN.toASCII(host).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            // A label over 63 characters, or not a host name at all (it was a 500).
            throw invalid("callback_url has an invalid host name");
        }
        // Without the root's trailing dot: "localhost." is localhost, and must meet the same checks.
        String name = ascii.endsWith(".") ? ascii.substring(0, ascii.length() - 1) : ascii;
        if (name.isEmpty() || name.length() > 253) {
            throw invalid("callback_url has a host name longer than 253 characters");
        }
        for (String label : name.split("\\.", -1)) {
            if (!LDH_LABEL.matcher(label).matches()) {
                throw invalid("callback_url has an invalid host name");
            }
        }
        return name;
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

    static WebhookError invalid(String message) {
        return new WebhookError(400, "invalid_payload", message);
    }
}
