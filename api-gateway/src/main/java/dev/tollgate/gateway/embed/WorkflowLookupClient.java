package dev.tollgate.gateway.embed;

import dev.tollgate.platform.security.ServiceTokens;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** What the embed pages ask workflow-service, as the gateway (role {@code service}). Answers are inspected. */
@RegisterRestClient(configKey = "embed-workflow")
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Authorization", value = "{bearer}")
public interface WorkflowLookupClient {

    default String bearer() {
        return CDI.current().select(ServiceTokens.class).get().bearer();
    }

    /** A workflow's id, name and description. */
    @GET
    @Path("/internal/workflows/{id}")
    Response workflow(@PathParam("id") String id);
}
