package dev.tollgate.gateway.routing;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body without a declared length (chunked), passed on to the service as it arrives and counted: past the
 * limit nothing more is passed (the rest is dropped), and the stream fails, which resets the request to the service (a chunked body cut
 * short is never a complete request there) and lets the proxy answer 413 instead. A declared length is checked at the
 * edge before anything is read (RequestShape); without this, a streamed body of any size went through.
 */
final class StreamedBodyLimit implements ReadStream<Buffer> {

    /** The failure a body over the limit ends in. */
    static final class TooLarge extends RuntimeException {
        TooLarge(long limit) {
            super("the streamed request body passed " + limit + " bytes", null, false, false);
        }
    }

    private final ReadStream<Buffer> body;
    private final long limit;
    private long passed;
    private volatile boolean exceeded;
    private Handler<Throwable> failed;

    StreamedBodyLimit(ReadStream<Buffer> body, long limit) {
        this.body = body;
        this.limit = limit;
    }

    boolean exceeded() {
        return exceeded;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        failed = handler;
        body.exceptionHandler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        if (handler == null) {
            body.handler(null);
            return this;
        }
        body.handler(chunk -> {
            if (exceeded) {
                return;
            }
            passed += chunk.length();
            if (passed > limit) {
                exceeded = true; // what follows is dropped (ConnectionAfterRefusal), never passed on
                if (failed != null) {
                    failed.handle(new TooLarge(limit));
                }
                return;
            }
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        body.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        if (!exceeded) {
            body.resume();
        }
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        if (!exceeded) {
            body.fetch(amount);
        }
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
        body.endHandler(end -> {
            if (!exceeded && handler != null) {
                handler.handle(end);
            }
        });
        return this;
    }
}
