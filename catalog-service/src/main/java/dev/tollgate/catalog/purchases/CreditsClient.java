package dev.tollgate.catalog.purchases;

import dev.tollgate.platform.security.ServiceTokens;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** credits-service's hold API, called as this service (role {@code service}). Answers are inspected, not thrown. */
@RegisterRestClient(configKey = "credits")
@Path("/internal/credits/accounts/{userId}/holds")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Authorization", value = "{bearer}")
public interface CreditsClient {

    default String bearer() {
        return CDI.current().select(ServiceTokens.class).get().bearer();
    }

    @POST
    Response place(@PathParam("userId") String userId, CreditHolds.HoldRequest hold);

    @POST
    @Path("/{holdId}/capture")
    Response capture(@PathParam("userId") String userId, @PathParam("holdId") String holdId);

    @POST
    @Path("/{holdId}/release")
    Response release(@PathParam("userId") String userId, @PathParam("holdId") String holdId);
}
