package dev.tollgate.catalog.platform;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import dev.tollgate.localstack.testing.HeldRequests;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * Test only: a route with a bug in it, for PlatformEndpointsContract's error-shape checks, and one held open until the
 * contract lets it go, for its in-flight bound check (and one that holds a worker thread meanwhile, for
 * WorkerQueueFullTest).
 */
@Path("/test-only/bug")
public class BugResource {

    @GET
    public String fail() {
        throw new IllegalStateException("a secret internal detail");
    }

    @GET
    @Path("/held")
    public CompletionStage<String> held() {
        return HeldRequests.hold();
    }

    @GET
    @Path("/held-on-a-worker")
    @Blocking
    public String heldOnAWorker() throws Exception {
        return HeldRequests.hold().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
