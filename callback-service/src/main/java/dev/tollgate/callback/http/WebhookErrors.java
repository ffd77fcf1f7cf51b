package dev.tollgate.callback.http;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tollgate.platform.web.UnmappedFailure;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps failures to the webhooks family's error body. */
public class WebhookErrors {

    @ServerExceptionMapper
    public Response error(WebhookError e) {
        return body(e.status(), e.code(), e.getMessage());
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated() {
        return Response.fromResponse(body(401, "unauthorized", "A valid bearer token is required"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper(ForbiddenException.class)
    public Response forbidden() {
        return body(403, "forbidden", "This token may not do that");
    }

    /**
     * Anything no mapper above took: a refusal the framework made (no route, wrong method or media type) keeps its
     * status, a bug is a 500 logged with the request id; both in this family's shape, never Quarkus's default body.
     */
    @ServerExceptionMapper
    public Response unmapped(Throwable failure, HttpServerRequest request) {
        return UnmappedFailure.inWebhooksShape(failure, request);
    }

    public static Response body(int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", code);
        body.put("message", message);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
