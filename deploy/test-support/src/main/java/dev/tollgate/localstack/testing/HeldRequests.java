package dev.tollgate.localstack.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests a service's test-only resource holds open until {@link PlatformEndpointsContract} lets them go, without a
 * worker thread: what fills a service's in-flight bound. The test and the service under {@code @QuarkusTest} share a
 * class loader, so both see these fields.
 */
public final class HeldRequests {

    private static final AtomicInteger HELD = new AtomicInteger();
    private static volatile CompletableFuture<String> release = new CompletableFuture<>();

    private HeldRequests() {
    }

    /** For the resource: the answer, once {@link #releaseAll()} is called. */
    public static CompletionStage<String> hold() {
        HELD.incrementAndGet();
        return release;
    }

    public static int held() {
        return HELD.get();
    }

    public static void reset() {
        HELD.set(0);
        release = new CompletableFuture<>();
    }

    public static void releaseAll() {
        release.complete("released");
    }
}
