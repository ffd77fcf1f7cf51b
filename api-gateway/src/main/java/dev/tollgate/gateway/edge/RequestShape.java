package dev.tollgate.gateway.edge;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.tollgate.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * What the edge refuses from a request's head alone, before anything reads its body, each in the path family's JSON:
 * a request line over {@code limits.max-uri-length} (414), headers over {@code limits.max-header-bytes} (431), a
 * declared body over {@code limits.max-body-bytes} (413; a streamed body is counted as it passes, by
 * {@code StreamedBodyLimit}), and a body that is not JSON (415: every body the platform takes is a JSON document,
 * and some endpoints used to parse a {@code text/plain} or XML-typed body while others refused it). Netty's own
 * limits sit above these ({@code quarkus.http.limits.*}), so that it is this class that answers, not Netty's empty 414
 * or 431.
 */
public final class RequestShape {

    public record Refusal(int status, String code, String message) {
    }

    private RequestShape() {
    }

    public static Optional<Refusal> check(HttpServerRequest request, GatewayConfig.Limits limits) {
        if (request.uri().length() > limits.maxUriLength()) {
            return Optional.of(new Refusal(414, "uri_too_long",
                    "The request URI is longer than " + limits.maxUriLength() + " characters"));
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4; // ": " and CRLF
        }
        if (headerBytes > limits.maxHeaderBytes()) {
            return Optional.of(new Refusal(431, "headers_too_large",
                    "The request's headers are larger than " + limits.maxHeaderBytes() + " bytes"));
        }
        String length = request.getHeader("Content-Length");
        if (length != null && !declaredLengthWithin(length, limits.maxBodyBytes())) {
            return Optional.of(new Refusal(413, "payload_too_large",
                    "The request body is larger than " + limits.maxBodyBytes() + " bytes"));
        }
        if (hasBody(request, length) && !json(request.getHeader("Content-Type"))) {
            return Optional.of(new Refusal(415, "unsupported_media_type",
                    "Request bodies are JSON: send Content-Type: application/json"));
        }
        return Optional.empty();
    }

    /** A Content-Length of plain digits within the limit (anything else is no length to trust). */
    static boolean declaredLengthWithin(String contentLength, long max) {
        String digits = contentLength.trim();
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        return Long.parseLong(digits) <= max;
    }

    private static boolean hasBody(HttpServerRequest request, String contentLength) {
        HttpMethod method = request.method();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return false;
        }
        if (contentLength != null) {
            return !contentLength.trim().equals("0");
        }
        // HTTP/2 has no Transfer-Encoding: a stream not yet ended carries a body.
        return request.getHeader("Transfer-Encoding") != null
                || (request.version() == HttpVersion.HTTP_2 && !request.isEnded());
    }

    /** No type at all (the body is read as JSON), {@code application/json} or a {@code +json} type, any parameters. */
    static boolean json(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }
}
