package dev.tollgate.platform.web;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * What a service answers for a failure none of its own mappers took: a refusal the framework made (no such route,
 * wrong method or media type: a {@link WebApplicationException}) keeps its status with a stable code, and anything
 * else is a bug, answered 500 and logged with the request id and a reference the caller also gets. Each service
 * renders it in its path family's error shape, so no answer ever carries Quarkus's default body or a stack trace.
 */
public record UnmappedFailure(int status, String code, String message) {

    private static final Logger LOG = Logger.getLogger(UnmappedFailure.class);

    private static final Map<Integer, String> CODES = Map.ofEntries(
            Map.entry(400, "bad_request"), Map.entry(401, "unauthorized"), Map.entry(403, "forbidden"),
            Map.entry(404, "not_found"), Map.entry(405, "method_not_allowed"), Map.entry(406, "not_acceptable"),
            Map.entry(409, "conflict"), Map.entry(411, "length_required"), Map.entry(413, "payload_too_large"),
            Map.entry(414, "uri_too_long"), Map.entry(415, "unsupported_media_type"),
            Map.entry(429, "too_many_requests"), Map.entry(431, "headers_too_large"),
            Map.entry(503, "service_unavailable"));

    /**
     * The worker pool's task queue was full ({@code quarkus.thread-pool.queue-size}): the request was never started,
     * so it is a refusal to retry, not a bug. Quarkus's own answer to it would be a 503 without a body of ours.
     */
    static final UnmappedFailure WORKERS_BUSY = new UnmappedFailure(503, "overloaded",
            "This service has no worker free to take the request; nothing was done. Retry after 1 s");

    /** The {@code Retry-After} this answer carries: a full worker queue's, the one its message names. */
    Optional<String> retryAfter() {
        return this == WORKERS_BUSY ? Optional.of("1") : Optional.empty();
    }

    /** Classifies {@code failure} on {@code method path}; a bug is logged here, once, with its stack trace. */
    public static UnmappedFailure of(Throwable failure, String method, String path, String requestId) {
        if (failure instanceof RejectedExecutionException) {
            return WORKERS_BUSY;
        }
        if (failure instanceof WebApplicationException refusal && refusal.getResponse() != null
                && refusal.getResponse().getStatus() != 500) {
            return refusal(refusal.getResponse().getStatus());
        }
        return bug(failure, method, path, requestId);
    }

    /** The answer to {@code failure} in {@code family}'s shape. */
    public static Response answer(Throwable failure, HttpServerRequest request, ErrorFamily family) {
        UnmappedFailure answer = of(failure, request);
        return answer.render(failure, family.body(answer.code(), answer.message()));
    }

    private static UnmappedFailure of(Throwable failure, HttpServerRequest request) {
        return of(failure, request.method().name(), request.path(), request.getHeader("X-Request-Id"));
    }

    /**
     * This answer with {@code body} as JSON; a framework refusal keeps its own headers ({@code Allow} on a 405,
     * {@code WWW-Authenticate} on a 401).
     */
    Response render(Throwable failure, Object body) {
        Response.ResponseBuilder answer = Response.status(status);
        retryAfter().ifPresent(seconds -> answer.header("Retry-After", seconds));
        if (failure instanceof WebApplicationException refusal && refusal.getResponse() != null
                && refusal.getResponse().getStatus() == status) {
            // Only the headers that belong to the refusal; its own length or encoding would not fit this body.
            for (String name : KEPT_HEADERS) {
                Object value = refusal.getResponse().getHeaders().getFirst(name);
                if (value != null) {
                    answer.header(name, value);
                }
            }
        }
        return answer.entity(body).type(MediaType.APPLICATION_JSON).build();
    }

    private static final List<String> KEPT_HEADERS = List.of("Allow", "WWW-Authenticate",
            "Retry-After");

    /** A refusal the framework made with {@code status}. */
    static UnmappedFailure refusal(int status) {
        Response.Status type = Response.Status.fromStatusCode(status);
        return new UnmappedFailure(status, CODES.getOrDefault(status, "http_" + status),
                type == null ? "The request was refused" : type.getReasonPhrase());
    }

    /** What a caller sent, fit for one log line: no control characters, at most 200 characters. */
    static String loggable(String sent) {
        String clean = sent.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }

    /** A bug: logged with what the operator needs, answered with nothing of it but a reference. */
    static UnmappedFailure bug(Throwable failure, String method, String path, String requestId) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(failure, "unexpected failure on %s %s (request %s, reference %s)", method, loggable(path),
                requestId == null ? "-" : loggable(requestId), reference);
        return new UnmappedFailure(500, "internal_error",
                "Unexpected error; the platform logged it under reference " + reference);
    }
}
