package dev.tollgate.platform.egress;

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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
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
        this.client = vertx.createHttpClient(pinnedOptions(connectTimeout));
    }

    /**
     * Options for a client that connects to checked addresses: the certificate is checked against the URL's name and
     * SNI carries it (not the address connected to), nothing is trusted blindly.
     */
    public static HttpClientOptions clientOptions(Duration connectTimeout) {
        return new HttpClientOptions().setConnectTimeout((int) connectTimeout.toMillis()).setKeepAlive(true)
                .setVerifyHost(true).setForceSni(true).setTrustAll(false);
    }

    /** As {@link #clientOptions}, with room for the calls blocking threads make at once (Vert.x's default is 5). */
    static HttpClientOptions pinnedOptions(Duration connectTimeout) {
        return clientOptions(connectTimeout).setMaxPoolSize(32).setMaxWaitQueueSize(256);
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
                // The address as a host string: the pool keys connections by it, so a connection opened to one
                // checked address is never reused for another.
                .setServer(SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()))
                .setFollowRedirects(false).setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis());
        headers.forEach(request::putHeader);
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        try {
            return client.request(request)
                    .compose(req -> {
                        sent.set(req);
                        if (abandoned.get()) {
                            // The caller stopped waiting (and decided: a purchase released, a run failed) while this
                            // waited for a connection: it must never be sent now.
                            req.reset();
                            return Future.failedFuture("abandoned before it was sent");
                        }
                        // Chained inside the request's callback, on its event loop, so the answer's handling is in
                        // place before a short answer can end (see callback-service's CallbackPoster).
                        return req.send(Buffer.buffer(body)).compose(response -> bounded(req, response));
                    })
                    .toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandoned.set(true);
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
            abandoned.set(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e); // e.g. the client closed at shutdown
        }
    }

    /** The answer, refused past {@link #MAX_ANSWER_BYTES} (a hostile server's endless body is not kept). */
    private static Future<Answer> bounded(HttpClientRequest req, HttpClientResponse response) {
        Promise<Answer> answer = Promise.promise();
        String declared = response.getHeader("Content-Length");
        if (declared != null && (declared.length() > 12 || (declared.chars().allMatch(Character::isDigit)
                && !declared.isEmpty() && Long.parseLong(declared) > MAX_ANSWER_BYTES))) {
            req.reset();
            return Future.failedFuture("the answer is larger than " + MAX_ANSWER_BYTES + " bytes");
        }
        Buffer received = Buffer.buffer();
        response.handler(chunk -> {
            if (received.length() + chunk.length() > MAX_ANSWER_BYTES) {
                req.reset();
                answer.tryFail("the answer is larger than " + MAX_ANSWER_BYTES + " bytes");
            } else {
                received.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(answer::tryFail);
        response.endHandler(end -> answer.tryComplete(new Answer(response.statusCode(), received.toString())));
        return answer.future();
    }

    /** The most of an answer kept (a vendor's result, a model's completion). */
    static final int MAX_ANSWER_BYTES = 8 * 1024 * 1024;

    @Override
    public void close() {
        client.close();
    }
}
