package dev.tollgate.gateway.routing;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How long a service may stay silent on a proxied request before the gateway answers 504 {@code upstream_timeout}:
 * {@code waiting} for what is meant to take long (a purchase, whose tool may take a minute; a run's status read, which
 * may wait up to 30 s; a run's event stream, which sends a keep-alive every 15 s), {@code answering} for everything
 * else, which a service answers in milliseconds when it is well. A caller of a hung service learns it in the time its
 * route deserves, not in the longest any route may need.
 */
public record UpstreamTimeouts(Duration answering, Duration waiting) {

    private static final Pattern RUN = Pattern.compile("/api/agent-webhooks/runs/[^/]+(/events)?");

    public Duration of(String method, String path) {
        return waits(method, path) ? waiting : answering;
    }

    static boolean waits(String method, String path) {
        return switch (method) {
            case "POST" -> path.equals("/products/purchase");
            case "GET" -> RUN.matcher(path).matches();
            default -> false;
        };
    }
}
