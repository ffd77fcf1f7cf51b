package dev.tollgate.gateway.overload;

import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

import dev.tollgate.gateway.config.GatewayConfig;
import dev.tollgate.gateway.routing.Route;
import dev.tollgate.gateway.routing.Upstream;
import dev.tollgate.platform.admission.InFlightLimit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The gateway's bound on requests in flight to each service ({@code tollgate.gateway.proxy.max-in-flight}, or the
 * service's own figure, {@code proxy.max-in-flight-to.<service>}). Past it
 * a request is answered 503 {@code overloaded} at the edge, before it costs the service anything, so a caller learns
 * in milliseconds that it should come back (Retry-After) rather than waiting in a queue the service may never reach.
 * Waiting requests ({@link WaitingRequests}) have a bound of their own, {@code proxy.max-waiting}.
 * Metrics: {@code tollgate_gateway_upstream_in_flight{upstream}}, {@code tollgate_gateway_upstream_waiting{upstream}}
 * and {@code tollgate_gateway_requests_shed_total{upstream,route,reason="in_flight_limit"|"waiting_limit"}}.
 */
@ApplicationScoped
public class UpstreamInFlight {

    private final Map<Upstream, InFlightLimit> limits = new EnumMap<>(Upstream.class);
    private final Map<Upstream, InFlightLimit> waiting = new EnumMap<>(Upstream.class);
    private final Map<String, Counter> shed = new ConcurrentHashMap<>();
    private final MeterRegistry registry;

    @Inject
    public UpstreamInFlight(GatewayConfig config, MeterRegistry registry) {
        this.registry = registry;
        for (Upstream upstream : Upstream.values()) {
            InFlightLimit limit = new InFlightLimit(maxInFlight(config.proxy(), upstream));
            limits.put(upstream, limit);
            Gauge.builder("tollgate.gateway.upstream.in.flight", limit, InFlightLimit::inFlight)
                    .description("Requests the gateway has in flight to the service")
                    .tag("upstream", upstream.label()).register(registry);
            InFlightLimit waits = new InFlightLimit(config.proxy().maxWaiting());
            waiting.put(upstream, waits);
            Gauge.builder("tollgate.gateway.upstream.waiting", waits, InFlightLimit::inFlight)
                    .description("Waiting requests (status long-polls, event streams) the gateway holds open to the service")
                    .tag("upstream", upstream.label()).register(registry);
        }
    }

    /** The bound for {@code upstream}: its own figure if it has one ({@code proxy.max-in-flight-to.<service>}). */
    static int maxInFlight(GatewayConfig.Proxy proxy, Upstream upstream) {
        GatewayConfig.Proxy.MaxInFlightTo own = proxy.maxInFlightTo();
        OptionalInt figure = switch (upstream) {
            case CREDITS -> own.credits();
            case CATALOG -> own.catalog();
            case WORKFLOW -> own.workflow();
            case CALLBACK -> own.callback();
        };
        return figure.orElse(proxy.maxInFlight());
    }

    /**
     * Takes a place for a request on {@code route}, from the waiting requests' bound if it is one
     * ({@link WaitingRequests}); false (counted as shed) if those places are all taken.
     */
    public boolean tryAcquire(Route route, boolean waits) {
        if ((waits ? waiting : limits).get(route.upstream()).tryAcquire()) {
            return true;
        }
        String reason = waits ? "waiting_limit" : "in_flight_limit";
        shed.computeIfAbsent(route.prefix() + " " + reason, key -> Counter.builder("tollgate.gateway.requests.shed")
                .description("Requests refused at the edge before reaching their service")
                .tag("upstream", route.upstream().label()).tag("route", route.prefix()).tag("reason", reason)
                .register(registry)).increment();
        return false;
    }

    public boolean tryAcquire(Route route) {
        return tryAcquire(route, false);
    }

    /** Gives back the place of a request {@link #tryAcquire} admitted, once its exchange is over (answered or not). */
    public void release(Upstream upstream, boolean waits) {
        (waits ? waiting : limits).get(upstream).release();
    }

    public void release(Upstream upstream) {
        release(upstream, false);
    }

    public int waiting(Upstream upstream) {
        return waiting.get(upstream).inFlight();
    }

    public int inFlight(Upstream upstream) {
        return limits.get(upstream).inFlight();
    }
}
