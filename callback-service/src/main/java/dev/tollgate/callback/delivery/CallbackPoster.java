package dev.tollgate.callback.delivery;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

import dev.tollgate.callback.config.CallbackConfig;
import dev.tollgate.callback.egress.BlockedTarget;
import dev.tollgate.callback.egress.CallbackTarget;
import dev.tollgate.callback.egress.CallbackTargets;
import dev.tollgate.platform.egress.PinnedClient;
import io.netty.channel.ConnectTimeoutException;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Makes one POST to a callback URL. Blocking (call it from a virtual thread); the I/O itself is Vert.x's, so a
 * thousand hanging receivers cost no platform threads.
 *
 * <p>The host is resolved and checked by {@link CallbackTargets}, and the request goes to that checked address
 * ({@code RequestOptions.setServer}) while {@code Host}, TLS SNI and certificate verification still use the URL's
 * host name. Redirects are never followed. The whole attempt, name resolution included, is bounded by the total
 * timeout; connecting alone by the connect timeout.
 */
@ApplicationScoped
public class CallbackPoster {

    private final HttpClient client;
    private final CallbackTargets targets;
    private final Duration connectTimeout;
    private final Duration totalTimeout;

    @Inject
    public CallbackPoster(Vertx vertx, CallbackConfig config, CallbackTargets targets) {
        this(vertx, targets, config.http().connectTimeout(), config.http().totalTimeout(),
                config.dispatch().perHostConcurrency());
    }

    public CallbackPoster(Vertx vertx, CallbackTargets targets, Duration connectTimeout, Duration totalTimeout,
            int connectionsPerHost) {
        this.targets = targets;
        this.connectTimeout = connectTimeout;
        this.totalTimeout = totalTimeout;
        // Not traced by Vert.x: the attempt's span is the POST's traceparent (DeliveryAttempts), not a client span the
        // event loop would start in whatever context it has.
        this.client = vertx.createHttpClient(PinnedClient.clientOptions(connectTimeout)
                .setMaxPoolSize(connectionsPerHost).setTracingPolicy(TracingPolicy.IGNORE));
    }

    void close(@Observes ShutdownEvent event) {
        client.close();
    }

    public PostResult post(String url, Map<String, String> headers, String body) {
        long start = System.nanoTime();
        long total = totalTimeout.toMillis();
        CallbackTarget target;
        try {
            target = targets.resolve(url);
        } catch (BlockedTarget e) {
            return PostResult.blocked("blocked_address: " + e.getMessage(), elapsed(start));
        } catch (UnknownHostException e) {
            return PostResult.noResponse("unresolvable_host: " + e.getMessage(), elapsed(start));
        }
        long remaining = total - elapsed(start);
        if (remaining <= 0) {
            return PostResult.noResponse(timeoutError(), elapsed(start));
        }
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setSsl(target.https())
                .setHost(target.host())
                .setPort(target.port())
                .setURI(target.requestUri())
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(target.address(), target.port())))
                .setFollowRedirects(false)
                .setConnectTimeout(Math.min(connectTimeout.toMillis(), remaining))
                .setIdleTimeout(remaining);
        headers.forEach(request::putHeader);
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        try {
            // The response handling is chained inside the request's callback, which runs on the request's event
            // loop, so it is in place before that loop can read the response. Chained from this (virtual) thread
            // instead, it could be attached after a short response had already ended, and Vert.x then runs it
            // later, where end() throws IllegalStateException: a 204 recorded as a failed attempt, and the
            // callback POSTed again.
            return client.request(request)
                    .compose(req -> {
                        sent.set(req);
                        return req.send(Buffer.buffer(body))
                                .compose(response -> response.end().map(done -> result(response.statusCode(),
                                        response.getHeader("Retry-After"), response.getHeader("Location"), start)));
                    })
                    .toCompletionStage().toCompletableFuture().get(remaining, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            HttpClientRequest req = sent.get();
            if (req != null) {
                req.reset();
            }
            return PostResult.noResponse(timeoutError(), elapsed(start));
        } catch (ExecutionException e) {
            return PostResult.noResponse(describe(e.getCause()), elapsed(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PostResult.noResponse("interrupted", elapsed(start));
        }
    }

    private PostResult result(int status, String retryAfter, String location, long start) {
        String error = null;
        if (status >= 300 && status < 400) {
            error = "redirect_not_followed: " + status + (location == null ? "" : " to " + location);
        } else if (status == 410) {
            error = "gone: the receiver answered 410, no more attempts";
        } else if (status < 200 || status >= 300) {
            error = "http_status: the receiver answered " + status;
        }
        Duration wait = RetrySchedule.parseRetryAfter(retryAfter, Instant.now()).orElse(null);
        return PostResult.response(status, error, wait, elapsed(start));
    }

    private String timeoutError() {
        return "timeout: no complete response within " + totalTimeout.toSeconds() + " s";
    }

    private String describe(Throwable cause) {
        String name = cause.getClass().getSimpleName();
        if (name.contains("Timeout")) {
            return cause instanceof ConnectTimeoutException
                    ? "connect_timeout: no connection within " + connectTimeout.toSeconds() + " s"
                    : timeoutError();
        }
        if (cause instanceof SSLException) {
            return "tls_failed: " + cause.getMessage();
        }
        if (cause instanceof ConnectException) {
            return "connect_failed: " + cause.getMessage();
        }
        return "request_failed: " + (cause.getMessage() == null ? name : cause.getMessage());
    }

    private static long elapsed(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
