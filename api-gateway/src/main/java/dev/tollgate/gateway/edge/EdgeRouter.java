package dev.tollgate.gateway.edge;

import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.config.GatewayConfig;
import dev.tollgate.gateway.overload.UpstreamInFlight;
import dev.tollgate.gateway.routing.ErrorFamily;
import dev.tollgate.gateway.routing.Route;
import dev.tollgate.gateway.routing.RouteTable;
import dev.tollgate.gateway.routing.Upstream;
import dev.tollgate.gateway.routing.UpstreamProxies;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * What every request meets at the edge, before the gateway's own endpoints or a service see it: a request id, the
 * access log, security headers, the per-address rate limit; and for paths a service owns, the body limit, the token
 * check, the per-token rate limit, the service's in-flight bound, then the proxy. Vert.x routes ahead of Quarkus REST
 * (lower order), so a proxied request's body streams through untouched.
 */
@ApplicationScoped
public class EdgeRouter {

    private static final int EDGE_ORDER = -1000;
    private static final String USER = "tollgate.user";
    private static final String UPSTREAM = "tollgate.upstream";
    private static final String SEEN = "tollgate.edge";

    @Inject
    GatewayConfig config;

    @Inject
    EdgeAuthenticator authenticator;

    @Inject
    UpstreamProxies proxies;

    @Inject
    UpstreamInFlight inFlight;

    @Inject
    AccessLog accessLog;

    @Inject
    ObjectMapper json;

    private RateLimiter perIp;
    private RateLimiter perToken;

    void install(@Observes Router router) {
        perIp = new RateLimiter(config.rateLimits().perIp().requestsPerSecond(), config.rateLimits().perIp().burst());
        perToken = new RateLimiter(config.rateLimits().perToken().requestsPerSecond(),
                config.rateLimits().perToken().burst());
        router.route().order(EDGE_ORDER).handler(this::edge);
        router.route().order(EDGE_ORDER + 1).handler(this::proxyIfRouted);
    }

    private void edge(RoutingContext rc) {
        if (rc.get(SEEN) != null) {
            // A re-routed request (e.g. /q/swagger-ui to its index page) passes the edge once: one log line, one token.
            rc.next();
            return;
        }
        rc.put(SEEN, Boolean.TRUE);
        long start = System.nanoTime();
        String requestId = RequestId.accept(rc.request().getHeader(RequestId.HEADER));
        rc.request().headers().set(RequestId.HEADER, requestId);
        rc.response().putHeader(RequestId.HEADER, requestId);
        rc.addHeadersEndHandler(v -> securityHeaders(rc.response()));
        rc.addEndHandler(v -> accessLog.log(new AccessLog.Entry(requestId, rc.request().method().name(),
                rc.request().path(), rc.response().getStatusCode(), (System.nanoTime() - start) / 1000,
                rc.get(UPSTREAM), rc.get(USER), client(rc))));
        String path = rc.normalizedPath();
        if (!path.startsWith("/q/") && !path.equals("/health")) {
            Optional<Duration> wait = perIp.acquire(client(rc));
            if (wait.isPresent()) {
                tooMany(rc, path, wait.get(), "Too many requests from this address");
                return;
            }
        }
        rc.next();
    }

    private void proxyIfRouted(RoutingContext rc) {
        String path = rc.normalizedPath();
        Optional<Route> route = RouteTable.match(path);
        if (route.isEmpty()) {
            rc.next();
            return;
        }
        ErrorFamily family = route.get().family();
        String length = rc.request().getHeader("Content-Length");
        if (length != null && tooLarge(length)) {
            fail(rc, 413, family, "payload_too_large",
                    "The request body is larger than " + config.limits().maxBodyBytes() + " bytes");
            return;
        }
        Optional<VerifiedToken> token = authenticator.verify(rc.request().getHeader("Authorization"));
        if (token.isEmpty()) {
            rc.response().putHeader("WWW-Authenticate", "Bearer");
            fail(rc, 401, family, "unauthorized", "Not authenticated: a valid bearer token is required");
            return;
        }
        rc.put(USER, token.get().subject());
        Optional<Duration> wait = perToken.acquire(token.get().subject());
        if (wait.isPresent()) {
            tooMany(rc, path, wait.get(), "Too many requests for this token");
            return;
        }
        Upstream upstream = route.get().upstream();
        rc.put(UPSTREAM, upstream.label());
        if (!inFlight.tryAcquire(route.get())) {
            rc.response().putHeader("Retry-After", "1");
            fail(rc, 503, family, "overloaded", "Too many requests are waiting for this service; retry in 1 s");
            return;
        }
        // Called once the exchange is over, answered or not (the client may have gone): the place is never lost.
        rc.addEndHandler(v -> inFlight.release(upstream));
        proxies.handler(upstream).handle(rc);
    }

    private boolean tooLarge(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > config.limits().maxBodyBytes();
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private void tooMany(RoutingContext rc, String path, Duration wait, String message) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        rc.response().putHeader("Retry-After", Long.toString(seconds));
        fail(rc, 429, RouteTable.familyOf(path), "rate_limited", message + "; retry in " + seconds + " s");
    }

    private void fail(RoutingContext rc, int status, ErrorFamily family, String code, String message) {
        try {
            rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(json.writeValueAsString(family.body(code, message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Never sniff types; HTML that did not set its own policy (everything but the embed pages, which must be
     * framable) may not be framed.
     */
    private static void securityHeaders(HttpServerResponse response) {
        response.headers().set("X-Content-Type-Options", "nosniff");
        String type = response.headers().get("Content-Type");
        if (type != null && type.startsWith("text/html")) {
            response.headers().set("Referrer-Policy", "no-referrer");
            if (!response.headers().contains("Content-Security-Policy")) {
                response.headers().set("Content-Security-Policy", "frame-ancestors 'none'");
                response.headers().set("X-Frame-Options", "DENY");
            }
        }
    }

    private static String client(RoutingContext rc) {
        return rc.request().remoteAddress() == null ? "unknown" : rc.request().remoteAddress().host();
    }
}
