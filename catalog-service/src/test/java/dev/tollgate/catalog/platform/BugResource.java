package dev.tollgate.catalog.platform;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Test only: a route with a bug in it, for PlatformEndpointsContract's error-shape checks. */
@Path("/test-only/bug")
public class BugResource {

    @GET
    public String fail() {
        throw new IllegalStateException("a secret internal detail");
    }
}
