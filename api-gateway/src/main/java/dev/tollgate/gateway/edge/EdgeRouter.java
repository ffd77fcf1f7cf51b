package dev.tollgate.gateway.edge;

import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.config.GatewayConfig;
import dev.tollgate.gateway.metrics.RouteTemplateTags;
import dev.tollgate.gateway.overload.UpstreamInFlight;
import dev.tollgate.gateway.routing.Route;
import dev.tollgate.gateway.routing.RouteTable;
import dev.tollgate.gateway.routing.Upstream;
import dev.tollgate.gateway.routing.UpstreamProxies;
import dev.tollgate.platform.admission.WaitingRequests;
import dev.tollgate.platform.tracing.TraceParents;
import dev.tollgate.platform.web.ConnectionAfterRefusal;
import dev.tollgate.platform.web.ErrorFamily;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * What every request meets at the edge, before the gateway's own endpoints or a service see it: a request id, the
 * access log, security headers, the per-address rate limit, the request's shape (URI, header and declared body
 * sizes, a JSON body: {@link RequestShape}); and for paths a service owns, the token check, the per-token rate limit, the service's in-flight bound, then the proxy. Vert.x routes ahead of Quarkus REST
 * (lower order), so a proxied request's body streams through untouched.
 */
@ApplicationScoped
public class EdgeRouter {

    private static final int EDGE_ORDER = -1000;
    private static final String USER = "tollgate.user";
    private static final String UPSTREAM = "tollgate.upstream";
    private static final String SEEN = "tollgate.edge";

    private final GatewayConfig config;
    private final EdgeAuthenticator authenticator;
    private final UpstreamProxies proxies;
    private final UpstreamInFlight inFlight;
    private final AccessLog accessLog;
    private final ObjectMapper json;
    private final RouteTemplateTags metricNames;

    /**
     * The gateway's own endpoints' bodies (the token exchange) are read here, bounded, before Quarkus REST: past the
     * limit a streamed body is a 413 in JSON (RouterRefusals), where Quarkus REST's own reading answered an empty 413.
     * Proxied bodies are never read here: they stream through, counted (StreamedBodyLimit).
     */
    private BodyHandler ownBodyReader;

    private RateLimiter perIp;
    private RateLimiter perToken;

    public EdgeRouter(GatewayConfig config, EdgeAuthenticator authenticator, UpstreamProxies proxies,
            UpstreamInFlight inFlight, AccessLog accessLog, ObjectMapper json, RouteTemplateTags metricNames) {
        this.config = config;
        this.authenticator = authenticator;
        this.proxies = proxies;
        this.inFlight = inFlight;
        this.accessLog = accessLog;
        this.json = json;
        this.metricNames = metricNames;
    }

    void install(@Observes Router router) {
        ownBodyReader = BodyHandler.create(false).setBodyLimit(config.limits().maxBodyBytes());
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
        metricNames.name(rc);
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
        Optional<RequestShape.Refusal> refusal = RequestShape.check(rc.request(), config.limits());
        if (refusal.isPresent()) {
            if (refusal.get().status() == 413) {
                // The body is not read: the connection cannot carry another request after this answer.
                ConnectionAfterRefusal.closeAfterAnswer(rc);
            }
            fail(rc, refusal.get().status(), RouteTable.familyOf(path), refusal.get().code(),
                    refusal.get().message());
            return;
        }
        rc.next();
    }

    private void proxyIfRouted(RoutingContext rc) {
        String path = rc.normalizedPath();
        Optional<Route> route = RouteTable.match(path);
        if (route.isEmpty()) {
            ownBodies.handle(rc);
            return;
        }
        ErrorFamily family = route.get().family();
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
        boolean waits = WaitingRequests.isWaiting(rc.request(), path);
        if (!inFlight.tryAcquire(route.get(), waits)) {
            rc.response().putHeader("Retry-After", "1");
            fail(rc, 503, family, "overloaded", "Too many requests are waiting for this service; retry in 1 s");
            return;
        }
        // Called once the exchange is over, answered or not (the client may have gone): the place is never lost. A
        // streamed body cut off past the limit (StreamedBodyLimit; the proxy answered 413) leaves a connection that
        // cannot carry another request.
        rc.addEndHandler(v -> {
            inFlight.release(upstream, waits);
            if (rc.response().getStatusCode() == 413) {
                ConnectionAfterRefusal.drainThenClose(rc.request());
            }
        });
        // The caller's trace context was read into the gateway's span for this request; the proxy's client request
        // carries that span's own (OpenTelemetry's Vert.x client tracing adds it), so the service's parent is the
        // gateway, not the caller. Left in place, the caller's header would be passed on beside it.
        rc.request().headers().remove(TraceParents.HEADER).remove("tracestate");
        proxies.handler(upstream).handle(rc);
    }

    /** Reads the body of a request to the gateway's own endpoints (see {@link #ownBodyReader}), or goes on. */
    private final Handler<RoutingContext> ownBodies = rc -> {
        HttpMethod method = rc.request().method();
        String length = rc.request().getHeader("Content-Length");
        boolean withBody = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
        // As platform's BufferedRequestBodies: HTTP/1.1 bodies not yet delivered only (the body handler would
        // wait for an end already passed, and Quarkus REST refuses an HTTP/2 body read before it).
        if (withBody && rc.request().version() == HttpVersion.HTTP_1_1 && !rc.request().isEnded()
                && !"0".equals(length == null ? null : length.trim())) {
            ownBodyReader.handle(rc);
        } else {
            rc.next();
        }
    };

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
