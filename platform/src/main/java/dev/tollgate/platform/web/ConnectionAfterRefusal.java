package dev.tollgate.platform.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * A request refused before its body was read (413) cannot be followed by another on the same HTTP/1.x connection: the
 * rest of the body would be read as the next request. Vert.x does not close the connection for a
 * {@code Connection: close} header of the answer (it decides from the request), and closing it at once makes a client
 * that is still sending its body fail with a broken pipe before it reads the answer. So, as web servers do, the answer
 * says so, what the client still sends is read and dropped for at most {@link #LINGER_MILLIS}, and the connection is
 * closed then (or when the body ends). Done from the routing context's end handlers, which run after everything
 * else registered there (the access log, the gateway's in-flight release): the response's single end handler slot is
 * Vert.x Web's. HTTP/2 streams end on their own, and a {@code Connection} header is malformed there (RFC 9113 8.2.2).
 */
public final class ConnectionAfterRefusal {

    static final long LINGER_MILLIS = 5_000;

    private ConnectionAfterRefusal() {
    }

    /** For an answer about to be sent on {@code rc}: says the connection closes, and closes it after the answer. */
    public static void closeAfterAnswer(RoutingContext rc) {
        if (rc.request().version() == HttpVersion.HTTP_2) {
            return;
        }
        rc.response().putHeader("Connection", "close");
        rc.addEndHandler(answered -> drainThenClose(rc.request()));
    }

    /** Once the answer is written: drops what the client still sends (at most {@link #LINGER_MILLIS}), then closes. */
    public static void drainThenClose(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            return;
        }
        if (request.isEnded()) {
            request.connection().close();
            return;
        }
        Vertx vertx = Vertx.currentContext() == null ? null : Vertx.currentContext().owner();
        long timer = vertx == null ? -1 : vertx.setTimer(LINGER_MILLIS, t -> request.connection().close());
        request.handler(dropped -> {
        });
        request.exceptionHandler(e -> request.connection().close());
        request.endHandler(end -> {
            if (vertx != null) {
                vertx.cancelTimer(timer);
            }
            request.connection().close();
        });
        request.resume();
    }
}
