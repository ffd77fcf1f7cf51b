package dev.tollgate.http.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * POSTs to an outbound URL that a user or an administrator chose (a vendor tool, a model server) at exactly the
 * address {@link EgressPolicy#resolve} checked, as callback-service does for callbacks: the name is resolved once,
 * every answer checked, and the connection goes to the first, with {@code Host}, SNI and the certificate check still
 * on the URL's name. A client that resolves again (the JDK's) could be sent elsewhere by a name whose owner answers
 * differently the second time. Redirects are not followed. For blocking callers (it waits for the answer).
 */
public final class PinnedClient implements AutoCloseable {

    /** The status and body of an answer. */
    public record Answer(int status, String body) {
    }

    private final HttpClient client;
    private final EgressPolicy policy;

    public PinnedClient(Vertx vertx, EgressPolicy policy, Duration connectTimeout) {
        this.policy = policy;
        this.client = vertx.createHttpClient(clientOptions(connectTimeout));
    }

    /**
     * Options for a client that connects to checked addresses: the certificate is checked against the URL's name and
     * SNI carries it (not the address connected to), nothing is trusted blindly.
     */
    public static HttpClientOptions clientOptions(Duration connectTimeout) {
        return new HttpClientOptions().setConnectTimeout((int) connectTimeout.toMillis()).setKeepAlive(true)
                .setVerifyHost(true).setForceSni(true).setTrustAll(false);
    }

    /**
     * @throws EgressRefused the URL may not be called (nothing was sent)
     * @throws UnknownHostException its name does not resolve now
     * @throws HttpTimeoutException no complete answer within {@code timeout}
     * @throws IOException the connection or the exchange failed
     */
    public Answer post(String url, Map<String, String> headers, String body, Duration timeout)
            throws EgressRefused, IOException {
        OutboundUrl target = policy.check(url);
        InetAddress address = policy.resolve(target)[0];
        String path = target.uri().getRawPath() == null || target.uri().getRawPath().isEmpty() ? "/"
                : target.uri().getRawPath();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setSsl(target.https())
                .setHost(target.host()).setPort(target.port())
                .setURI(target.uri().getRawQuery() == null ? path : path + "?" + target.uri().getRawQuery())
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, target.port())))
                .setFollowRedirects(false).setIdleTimeout(timeout.toMillis());
        headers.forEach(request::putHeader);
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        try {
            return client.request(request)
                    .compose(req -> {
                        sent.set(req);
                        // Chained inside the request's callback, on its event loop, so the answer's handling is in
                        // place before a short answer can end (see callback-service's CallbackPoster).
                        return req.send(Buffer.buffer(body)).compose(response -> response.body()
                                .map(b -> new Answer(response.statusCode(), b.toString())));
                    })
                    .toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            HttpClientRequest req = sent.get();
            if (req != null) {
                req.reset();
            }
            throw new HttpTimeoutException("no complete answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause != null && cause.getClass().getSimpleName().contains("Timeout")) {
                throw new HttpTimeoutException(cause.getMessage());
            }
            throw new IOException(cause == null ? "the request failed" : cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
