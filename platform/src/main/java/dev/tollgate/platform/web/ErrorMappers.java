package dev.tollgate.platform.web;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every service's failures in its path's error style ({@link ErrorFamilies}): refusals on purpose
 * ({@link CodedError}), invalid input ({@link ValidationProblem}: the api family's 422 list, the webhooks family's
 * 400 {@code invalid_payload}), missing or insufficient credentials, and whatever no mapper took
 * ({@link UnmappedFailure}). Never Quarkus's default body, never a stack trace.
 */
public class ErrorMappers {

    private final ErrorFamilies families;

    @Inject
    public ErrorMappers(ErrorFamilies families) {
        this.families = families;
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated(HttpServerRequest request) {
        ErrorBody body = families.of(request.path()) == ErrorFamily.API ? new ErrorBody.Api("Not authenticated", null)
                : ErrorFamily.WEBHOOKS.body("unauthorized", "A valid bearer token is required");
        return Response.fromResponse(json(401, body)).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper(ForbiddenException.class)
    public Response forbidden(HttpServerRequest request) {
        return json(403, families.of(request.path()) == ErrorFamily.API ? new ErrorBody.Api("Not allowed for this token", null)
                : ErrorFamily.WEBHOOKS.body("forbidden", "This token may not do that"));
    }

    @ServerExceptionMapper
    public Response refused(CodedError e, HttpServerRequest request) {
        ErrorBody body = families.of(request.path()) == ErrorFamily.API ? new ErrorBody.Api(e.getMessage(), e.code())
                : new ErrorBody.Webhooks(e.code(), e.getMessage(), e.data());
        Response answer = json(e.status(), body);
        return e.retryAfterSeconds().isPresent()
                ? Response.fromResponse(answer).header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds().getAsLong()).build()
                : answer;
    }

    /** Malformed or invalid input: the api family's FastAPI-style 422 list; the webhooks family answers 400. */
    @ServerExceptionMapper
    public Response invalid(ValidationProblem problem, HttpServerRequest request) {
        if (families.of(request.path()) == ErrorFamily.API) {
            return json(422, new ErrorBody.Invalid(problem.errors()));
        }
        String where = problem.errors().isEmpty() ? "" : " at " + problem.errors().getFirst().loc();
        return json(400, ErrorFamily.WEBHOOKS.body("invalid_payload", problem.getMessage() + where));
    }

    /**
     * Anything no mapper above took: a refusal the framework made (no route, wrong method or media type) keeps its
     * status, a bug is a 500 logged with the request id; both in this family's shape.
     */
    @ServerExceptionMapper
    public Response unmapped(Throwable failure, HttpServerRequest request) {
        return UnmappedFailure.answer(failure, request, families.of(request.path()));
    }

    /** {@code body} as this status's JSON answer. */
    public static Response json(int status, ErrorBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
