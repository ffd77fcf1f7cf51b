package dev.tollgate.gateway.overload;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.tollgate.gateway.config.GatewayConfig;
import dev.tollgate.gateway.routing.Route;
import dev.tollgate.gateway.routing.Upstream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The gateway's bound on requests in flight to each service ({@code tollgate.gateway.proxy.max-in-flight}). Past it
 * a request is answered 503 {@code overloaded} at the edge, before it costs the service anything, so a caller learns
 * in milliseconds that it should come back (Retry-After) rather than waiting in a queue the service may never reach.
 * Metrics: {@code tollgate_gateway_upstream_in_flight{upstream}} and
 * {@code tollgate_gateway_requests_shed_total{upstream,route,reason="in_flight_limit"}}.
 */
@ApplicationScoped
public class UpstreamInFlight {

    private final Map<Upstream, InFlightLimit> limits = new EnumMap<>(Upstream.class);
    private final Map<Route, Counter> shed = new ConcurrentHashMap<>();
    private final MeterRegistry registry;

    @Inject
    public UpstreamInFlight(GatewayConfig config, MeterRegistry registry) {
        this.registry = registry;
        for (Upstream upstream : Upstream.values()) {
            InFlightLimit limit = new InFlightLimit(config.proxy().maxInFlight());
            limits.put(upstream, limit);
            Gauge.builder("tollgate.gateway.upstream.in.flight", limit, InFlightLimit::inFlight)
                    .description("Requests the gateway has in flight to the service")
                    .tag("upstream", upstream.label()).register(registry);
        }
    }

    /** Takes a place for a request on {@code route}; false (counted as shed) if its service's places are all taken. */
    public boolean tryAcquire(Route route) {
        if (limits.get(route.upstream()).tryAcquire()) {
            return true;
        }
        shed.computeIfAbsent(route, r -> Counter.builder("tollgate.gateway.requests.shed")
                .description("Requests refused at the edge before reaching their service")
                .tag("upstream", r.upstream().label()).tag("route", r.prefix()).tag("reason", "in_flight_limit")
                .register(registry)).increment();
        return false;
    }

    /** Gives back the place of a request {@link #tryAcquire} admitted, once its exchange is over (answered or not). */
    public void release(Upstream upstream) {
        limits.get(upstream).release();
    }

    public int inFlight(Upstream upstream) {
        return limits.get(upstream).inFlight();
    }
}
