package dev.tollgate.platform.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads a request's whole body on the event loop before the endpoint runs. Without it, a blocking endpoint
 * ({@code String body} on a worker thread) reads the body through a blocking stream that the event loop feeds chunk by
 * chunk under a shared monitor; under load the hand-over spun on that monitor for about a third of the workflow api's
 * event-loop CPU (JFR, 300 triggers/s). With the body in the routing context, Quarkus REST hands the endpoint a
 * byte-array stream instead. Bodies here are small JSON documents, bounded by {@code quarkus.http.limits.max-body-size}
 * as before. A service that streams bodies (the gateway's proxy) turns this off.
 */
@ApplicationScoped
public class BufferedRequestBodies {

    private final boolean enabled;
    private final MemorySize maxBodySize;

    @Inject
    public BufferedRequestBodies(
            @ConfigProperty(name = "tollgate.http.buffer-request-bodies", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBodySize) {
        this.enabled = enabled;
        this.maxBodySize = maxBodySize;
    }

    void install(@Observes Router router) {
        if (!enabled) {
            return;
        }
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(maxBodySize.asLongValue());
        router.route().order(Integer.MIN_VALUE + 1000).method(HttpMethod.POST).method(HttpMethod.PUT)
                .method(HttpMethod.PATCH).handler(context -> {
                    // Only HTTP/1.1 bodies of a declared length (what clients and the gateway send). Anything else
                    // goes on as before: the body handler waited forever for the end of an empty body (zero length,
                    // or only the last chunk) that had already been delivered, and Quarkus REST refuses an HTTP/2
                    // request whose body was read before it ("Request has already been read").
                    String length = context.request().getHeader("Content-Length");
                    if (context.request().version() != HttpVersion.HTTP_1_1 || context.request().isEnded()
                            || length == null || "0".equals(length.trim())) {
                        context.next();
                    } else {
                        bodies.handle(context);
                    }
                });
    }
}
