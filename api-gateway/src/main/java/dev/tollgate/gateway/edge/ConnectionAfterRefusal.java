package dev.tollgate.gateway.edge;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * A request refused before its body was read cannot be followed by another on the same HTTP/1.x connection (the rest
 * of the body would be read as the next request), and Vert.x does not close it for a {@code Connection: close}
 * header of the answer: it decides from the request. So the answer says so and the connection is closed once the
 * answer is written; a client that sends its whole body before reading would otherwise wait for the idle timeout.
 * HTTP/2 streams end on their own, and a {@code Connection} header is malformed there (RFC 9113 8.2.2).
 */
public final class ConnectionAfterRefusal {

    private ConnectionAfterRefusal() {
    }

    public static void closeOnceAnswered(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            return;
        }
        request.response().putHeader("Connection", "close");
        request.response().endHandler(v -> request.connection().close());
    }
}
