package dev.tollgate.gateway.routing;

import java.net.ConnectException;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.config.GatewayConfig;
import dev.tollgate.platform.web.ErrorFamily;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.proxy.handler.ProxyHandler;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * One Vert.x reverse proxy per service. Requests and responses stream through unchanged (status, body, headers such
 * as {@code x-instance-id}, {@code X-Page}, {@code Retry-After}); only hop-by-hop headers are dropped, as HTTP
 * requires. A service that refuses the connection or is not there answers 503 at once, one that stops talking 504,
 * in the error style of the path, instead of the proxy's bare 502.
 */
@ApplicationScoped
public class UpstreamProxies {

    private static final Logger LOG = Logger.getLogger(UpstreamProxies.class);

    private final Map<Upstream, ProxyHandler> handlers = new EnumMap<>(Upstream.class);
    private final ObjectMapper json;
    private final long maxBodyBytes;

    @Inject
    public UpstreamProxies(Vertx vertx, GatewayConfig config, ObjectMapper json) {
        this.json = json;
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.proxy().connectTimeout().toMillis())
                .setMaxPoolSize(64)
                .setKeepAlive(true));
        UpstreamTimeouts timeouts = new UpstreamTimeouts(config.proxy().answerTimeout(), config.proxy().idleTimeout());
        this.maxBodyBytes = config.limits().maxBodyBytes();
        handlers.put(Upstream.CREDITS, proxy(client, config.upstreams().credits(), timeouts));
        handlers.put(Upstream.CATALOG, proxy(client, config.upstreams().catalog(), timeouts));
        handlers.put(Upstream.WORKFLOW, proxy(client, config.upstreams().workflow(), timeouts));
        handlers.put(Upstream.CALLBACK, proxy(client, config.upstreams().callback(), timeouts));
    }

    public ProxyHandler handler(Upstream upstream) {
        return handlers.get(upstream);
    }

    private ProxyHandler proxy(HttpClient client, String url, UpstreamTimeouts timeouts) {
        URI uri = URI.create(url);
        SocketAddress server = SocketAddress.inetSocketAddress(uri.getPort() == -1 ? 80 : uri.getPort(), uri.getHost());
        HttpProxy proxy = HttpProxy.reverseProxy(client)
                .origin(context -> context.client().request(new RequestOptions().setServer(server)
                        .setIdleTimeout(timeouts.of(context.request().getMethod().name(), pathOf(context)).toMillis())))
                .addInterceptor(new ProxyInterceptor() {
                    @Override
                    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
                        Body body = context.request().getBody();
                        StreamedBodyLimit limited = null;
                        if (body != null && body.length() < 0) {
                            // No declared length (the edge checked those): counted as it streams through.
                            limited = new StreamedBodyLimit(body.stream(), maxBodyBytes);
                            context.request().setBody(Body.body(limited, -1));
                        }
                        StreamedBodyLimit counted = limited;
                        return context.sendRequest().recover(failure -> Future.succeededFuture(
                                counted != null && counted.exceeded() ? tooLarge(context) : unavailable(context,
                                        failure)));
                    }
                });
        return ProxyHandler.create(proxy);
    }

    private ProxyResponse tooLarge(ProxyContext context) {
        String path = pathOf(context);
        LOG.debugf("%s %s: streamed body over %d bytes", context.request().getMethod(), path, maxBodyBytes);
        // The rest of the body is dropped, not passed on: no other request can follow on the connection (EdgeRouter
        // closes it once this is written).
        ProxyResponse response = context.request().release().response().setStatusCode(413)
                .putHeader("Content-Type", "application/json");
        if (context.request().version() != HttpVersion.HTTP_2) {
            response.putHeader("Connection", "close");
        }
        return response
                .setBody(Body.body(json(RouteTable.familyOf(path).body("payload_too_large",
                        "The request body is larger than " + maxBodyBytes + " bytes"))));
    }

    private static String pathOf(ProxyContext context) {
        String uri = context.request().getURI();
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private Buffer json(Object body) {
        try {
            return Buffer.buffer(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ProxyResponse unavailable(ProxyContext context, Throwable failure) {
        String path = pathOf(context);
        ErrorFamily family = RouteTable.familyOf(path);
        boolean down = failure instanceof ConnectException || failure.getClass().getSimpleName().contains("Connect");
        int status = down ? 503 : 504;
        String code = down ? "service_unavailable" : "upstream_timeout";
        String message = down ? "The service behind this path is not available; try again shortly"
                : "The service behind this path did not answer in time";
        LOG.warnf("%s %s: %s", context.request().getMethod(), path, failure.toString());
        Buffer body = json(family.body(code, message));
        ProxyResponse response = context.request().release().response().setStatusCode(status)
                .putHeader("Content-Type", "application/json").setBody(Body.body(body));
        if (down) {
            response.putHeader("Retry-After", "5");
        }
        return response;
    }
}
