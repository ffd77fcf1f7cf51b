package dev.tollgate.platform.admission;

import dev.tollgate.platform.web.ConnectionAfterRefusal;
import dev.tollgate.platform.web.ErrorFamilies;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * A service's own bound on the requests it works on at once ({@code tollgate.http.admission.max-in-flight}). The
 * gateway bounds what it sends to each service, but a service has other callers (its neighbours, several gateway
 * replicas), and behind its port Quarkus hands blocking work to a worker pool whose task queue has no bound: past a
 * few hundred requests every one of them would only wait longer. Past the bound a request is answered at once, on the
 * event loop, 503 {@code overloaded} with a {@code Retry-After}, in its path family's shape, before any of the service's
 * code ran, so nothing is left behind. Counted from after the body is read (bodies are small and read on the event
 * loop) to the end of the exchange, answered or not. Metrics: {@code tollgate_http_in_flight} and
 * {@code tollgate_http_requests_shed_total{reason="in_flight_limit"}}.
 */
@ApplicationScoped
public class ServiceAdmission {

    /** The routing context's key for when a request was admitted ({@link System#nanoTime()}), for QueueTimeLimit. */
    static final String ADMITTED_AT = "tollgate.admitted-at";
    /** The routing context's key for how many requests were in flight before this one, for QueueTimeLimit. */
    static final String ADMITTED_BEHIND = "tollgate.admitted-behind";

    private final InFlightLimit limit;
    private final ErrorFamilies families;
    private final String retryAfter;
    private final Counter shed;

    @Inject
    public ServiceAdmission(AdmissionConfig config, ErrorFamilies families, MeterRegistry registry) {
        this.limit = config.maxInFlight() > 0 ? new InFlightLimit(config.maxInFlight()) : null;
        this.families = families;
        this.retryAfter = Integer.toString(Math.max(1, config.retryAfterSeconds()));
        this.shed = Counter.builder("tollgate.http.requests.shed")
                .description("Requests this service refused because it was working on as many as it may")
                .tag("reason", "in_flight_limit").register(registry);
        if (limit != null) {
            Gauge.builder("tollgate.http.in.flight", limit, InFlightLimit::inFlight)
                    .description("Requests this service is working on (waiting reads and /q/ not counted)")
                    .register(registry);
        }
    }

    void install(@Observes Router router) {
        if (limit != null) {
            // After BufferedRequestBodies (MIN_VALUE + 1000), before Quarkus REST.
            router.route().order(Integer.MIN_VALUE + 1001).handler(this::admit);
        }
    }

    void admit(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (path.startsWith("/q/") || WaitingRequests.isWaiting(rc.request(), path)) {
            rc.next();
            return;
        }
        if (!limit.tryAcquire()) {
            refuse(rc, path);
            return;
        }
        // Called once the exchange is over, answered or not (the caller may have gone): the place is never lost.
        rc.addEndHandler(done -> limit.release());
        rc.put(ADMITTED_AT, System.nanoTime());
        rc.put(ADMITTED_BEHIND, limit.inFlight() - 1);
        rc.next();
    }

    private void refuse(RoutingContext rc, String path) {
        shed.increment();
        if (!rc.request().isEnded() && hasBody(rc)) {
            ConnectionAfterRefusal.closeAfterAnswer(rc); // a body not read cannot be followed by another request
        }
        rc.response().setStatusCode(503).putHeader("Retry-After", retryAfter)
                .putHeader("Content-Type", "application/json")
                .end(Json.encode(families.of(path).body("overloaded",
                        "This service is working on as many requests as it may; nothing was done. Retry after "
                                + retryAfter + " s")));
    }

    private static boolean hasBody(RoutingContext rc) {
        String length = rc.request().getHeader("Content-Length");
        return rc.request().getHeader("Transfer-Encoding") != null
                || (length != null && !"0".equals(length.trim()));
    }
}
