package dev.tollgate.platform.admission;

import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ExecutorRecorder;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A request that queued for a worker thread longer than {@code tollgate.http.admission.max-queue-time} between its
 * admission ({@link ServiceAdmission}) and the start of its endpoint is refused, 503 {@code overloaded} with a
 * {@code Retry-After}, instead of worked on. Past the in-flight bound callers are refused at once; below it, when
 * threads run short (workers held by slow calls to a neighbour), an admitted request may wait behind the ones taken
 * before it, and by the time its turn comes its caller may have given up; refused here, the caller hears within the
 * limit and retries (nothing was done, so a retry is safe). Only a request admitted behind at least as many as the
 * pool has threads can have queued for one ({@link Rule}): a slow start with threads free (a process's first
 * requests, while its code loads and compiles, or starved CPU) is not a queue, and refusing it would only make the
 * caller pay the same start again (a cold credits-service once refused its first hold that way). On two shared cores
 * the wait is mostly for CPU, and the limit seldom fires (docs/benchmarks.md, "Overload"). A filter that is not
 * non-blocking runs on the endpoint's own thread, just before it: for a blocking endpoint, after its wait for a
 * worker. Metric: {@code tollgate_http_requests_shed_total{reason="queue_time"}}.
 */
public class QueueTimeLimit {

    /**
     * Whether a request waited too long in the queue for a worker: it waited past {@code maxNanos} and was admitted
     * with at least {@code workerThreads} requests ahead of it (below that a thread was free for it). 0 turns it off.
     */
    public record Rule(long maxNanos, int workerThreads) {

        public boolean refuses(long waitedNanos, int admittedBehind) {
            return maxNanos > 0 && waitedNanos > maxNanos && admittedBehind >= workerThreads;
        }
    }

    private final Rule rule;
    private final long retryAfterSeconds;
    private final Counter shed;

    @Inject
    public QueueTimeLimit(AdmissionConfig config, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.thread-pool.max-threads") Optional<Integer> maxThreads) {
        // Unset, the pool is as large as Quarkus makes it by default: asked of Quarkus, not repeated here.
        this.rule = new Rule(config.maxQueueTime().toNanos(),
                maxThreads.orElseGet(ExecutorRecorder::calculateMaxThreads));
        this.retryAfterSeconds = Math.max(1, config.retryAfterSeconds());
        this.shed = Counter.builder("tollgate.http.requests.shed")
                .description("Requests this service refused because it was working on as many as it may")
                .tag("reason", "queue_time").register(registry);
    }

    @ServerRequestFilter
    public void refuseIfItWaitedTooLong(RoutingContext rc) {
        Long admitted = rc.get(ServiceAdmission.ADMITTED_AT);
        Integer behind = rc.get(ServiceAdmission.ADMITTED_BEHIND);
        if (admitted == null || behind == null || !rule.refuses(System.nanoTime() - admitted, behind)) {
            return;
        }
        shed.increment();
        throw new ServiceOverloaded("This service could not start the request in time; nothing was done. Retry after "
                + retryAfterSeconds + " s", retryAfterSeconds);
    }
}
