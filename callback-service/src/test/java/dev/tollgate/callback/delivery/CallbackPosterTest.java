package dev.tollgate.callback.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import dev.tollgate.callback.egress.BlockedTarget;
import dev.tollgate.callback.egress.CallbackTarget;
import dev.tollgate.callback.egress.CallbackTargets;
import dev.tollgate.callback.support.Receiver;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The POST itself, with a resolver that pins {@code hooks.test} (a name no DNS knows) to 127.0.0.1: the request
 * reaches the pinned address while still naming the URL's host, so the check and the connection cannot disagree.
 */
class CallbackPosterTest {

    static Vertx vertx;
    static Receiver receiver;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        receiver = Receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        vertx.close();
    }

    static CallbackPoster pinnedTo(InetAddress address, Duration total) {
        CallbackTargets pinning = new CallbackTargets(false, host -> new InetAddress[0]) {
            @Override
            public CallbackTarget resolve(String url) {
                URI uri = URI.create(url);
                return new CallbackTarget(uri, false, uri.getHost(), uri.getPort(), address);
            }
        };
        return new CallbackPoster(vertx, pinning, Duration.ofSeconds(5), total, 4);
    }

    @Test
    void connectsToTheCheckedAddressAndStillNamesTheHost() throws Exception {
        CallbackPoster poster = pinnedTo(InetAddress.getLoopbackAddress(), Duration.ofSeconds(5));
        PostResult result = poster.post("http://hooks.test:" + receiver.port() + "/pinned?x=1",
                Map.of("Content-Type", "application/json", "webhook-id", "msg_1"), "{\"a\":1}");
        assertEquals(204, result.httpStatus());
        assertNull(result.error());
        Receiver.Received got = receiver.at("/pinned").getFirst();
        assertEquals("hooks.test:" + receiver.port(), got.header("Host"));
        assertEquals("{\"a\":1}", got.body());
        assertEquals("msg_1", got.header("webhook-id"));
    }

    @Test
    void theTotalTimeoutCutsAHangingReceiverOff() {
        receiver.on("/slow-pinned", n -> Receiver.Answer.hang(5000));
        CallbackPoster poster = pinnedTo(InetAddress.getLoopbackAddress(), Duration.ofMillis(800));
        PostResult result = poster.post("http://hooks.test:" + receiver.port() + "/slow-pinned", Map.of(), "{}");
        assertNull(result.httpStatus());
        assertTrue(result.error().startsWith("timeout"), result.error());
        assertTrue(result.durationMs() >= 700 && result.durationMs() < 3000, "bounded: " + result.durationMs());
    }

    @Test
    void aBlockedTargetIsNeverCalled() {
        CallbackTargets refusing = new CallbackTargets(false, host -> new InetAddress[0]) {
            @Override
            public CallbackTarget resolve(String url) throws BlockedTarget {
                throw new BlockedTarget("nope");
            }
        };
        PostResult result = new CallbackPoster(vertx, refusing, Duration.ofSeconds(1), Duration.ofSeconds(1), 1)
                .post(receiver.url("/never"), Map.of(), "{}");
        assertTrue(result.blocked());
        assertEquals(0, receiver.at("/never").size());
    }
}
