package dev.tollgate.credits.platform;

import java.util.concurrent.CompletionStage;

import dev.tollgate.localstack.testing.HeldRequests;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * Test only: a route with a bug in it, for PlatformEndpointsContract's error-shape checks, and one held open until the
 * contract lets it go, for its in-flight bound check.
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
}
