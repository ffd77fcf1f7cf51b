package dev.tollgate.catalog.http;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tollgate.platform.web.CodedError;
import dev.tollgate.platform.web.UnmappedFailure;
import dev.tollgate.platform.web.ValidationProblem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps failures to the "api" family's error bodies: {@code {"detail": ...}}. Never a stack trace. */
public class ApiErrors {

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated() {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("detail", "Not authenticated"))
                .build();
    }

    @ServerExceptionMapper(ForbiddenException.class)
    public Response forbidden() {
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("detail", "Not allowed for this token")).build();
    }

    @ServerExceptionMapper
    public Response refused(CodedError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", e.getMessage());
        body.put("error", e.code());
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(body).build();
    }

    @ServerExceptionMapper
    public Response invalid(ValidationProblem problem) {
        return Response.status(422).type(MediaType.APPLICATION_JSON).entity(problem.body()).build();
    }

    /**
     * Anything no mapper above took: a refusal the framework made (no route, wrong method or media type) keeps its
     * status, a bug is a 500 logged with the request id; both in this family's shape, never Quarkus's default body.
     */
    @ServerExceptionMapper
    public Response unmapped(Throwable failure, HttpServerRequest request) {
        return UnmappedFailure.inApiShape(failure, request);
    }
}
