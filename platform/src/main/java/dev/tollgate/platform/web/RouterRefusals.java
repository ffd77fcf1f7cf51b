package dev.tollgate.platform.web;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Answers what fails before or outside Quarkus REST in the path family's JSON, as {@link UnmappedFailure} does inside
 * it: a path no route serves (404; dot segments and encoded slashes end here), a method the router refuses, a body
 * over the limit (413, from the body handler), a worker pool whose queue is full (503 {@code overloaded} with
 * {@code Retry-After}), a failure in a Vert.x handler (500, logged with a reference). Quarkus's
 * default answers to those were an HTML page or an empty body.
 *
 * <p>Which shape: {@link ErrorFamilies}.
 */
@ApplicationScoped
public class RouterRefusals {

    private final ErrorFamilies families;

    @Inject
    public RouterRefusals(ErrorFamilies families) {
        this.families = families;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answer);
    }

    void answer(RoutingContext rc) {
        if (rc.response().ended()) {
            return;
        }
        if (rc.response().headWritten()) {
            rc.response().reset(); // too late for a body of ours; never leave the answer hanging
            return;
        }
        UnmappedFailure answer = rc.statusCode() > 0 && rc.statusCode() != 500
                ? UnmappedFailure.refusal(rc.statusCode())
                : UnmappedFailure.of(rc.failure() == null ? new IllegalStateException("failed without a cause")
                        : rc.failure(), rc.request().method().name(), rc.request().path(),
                        rc.request().getHeader("X-Request-Id"));
        rc.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json");
        answer.retryAfter().ifPresent(seconds -> rc.response().putHeader("Retry-After", seconds));
        if (answer.status() == 413) {
            ConnectionAfterRefusal.closeAfterAnswer(rc); // the rest of the body is not read
        }
        rc.response().end(Json.encode(families.of(rc.request().path()).body(answer.code(), answer.message())));
    }
}
