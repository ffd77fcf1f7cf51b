package dev.tollgate.platform.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A request that waited longer than {@code tollgate.http.admission.max-queue-time} between its admission
 * ({@link ServiceAdmission}) and the start of its endpoint is refused, 503 {@code overloaded} with a
 * {@code Retry-After}, instead of worked on. Past the in-flight bound callers are refused at once; below it, on
 * starved cores, an admitted request may still wait for a worker thread behind the ones taken before it, and by the
 * time its turn comes its caller may have given up; refused here, the caller hears within the limit and retries
 * (nothing was done, so a retry is safe). On two shared cores the wait is mostly for CPU, not in this queue, and the
 * limit seldom fires (docs/benchmarks.md, "Overload"); it bounds the wait when threads run short rather than CPU
 * (workers held by slow calls to a neighbour). A filter that is not non-blocking runs on the endpoint's own thread,
 * just before it: for a blocking endpoint, after its wait for a worker. Metric:
 * {@code tollgate_http_requests_shed_total{reason="queue_time"}}.
 */
public class QueueTimeLimit {

    private final long maxNanos;
    private final long retryAfterSeconds;
    private final Counter shed;

    @Inject
    public QueueTimeLimit(AdmissionConfig config, MeterRegistry registry) {
        this.maxNanos = config.maxQueueTime().toNanos();
        this.retryAfterSeconds = Math.max(1, config.retryAfterSeconds());
        this.shed = Counter.builder("tollgate.http.requests.shed")
                .description("Requests this service refused because it was working on as many as it may")
                .tag("reason", "queue_time").register(registry);
    }

    @ServerRequestFilter
    public void refuseIfItWaitedTooLong(RoutingContext rc) {
        Long admitted = rc.get(ServiceAdmission.ADMITTED_AT);
        if (admitted == null || maxNanos <= 0 || System.nanoTime() - admitted <= maxNanos) {
            return;
        }
        shed.increment();
        throw new ServiceOverloaded("This service could not start the request in time; nothing was done. Retry after "
                + retryAfterSeconds + " s", retryAfterSeconds);
    }
}
