package dev.tollgate.gateway.health;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The public liveness answer of the contract: 200 whenever the process accepts requests. */
@Path("/health")
public class HealthResource {

    /** {@code {"status": "ok"}}. */
    public record Health(String status) {
    }

    private static final Health OK = new Health("ok");

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Health health() {
        return OK;
    }
}
