package dev.tollgate.workflow.catalog;

import java.util.Map;

import dev.tollgate.platform.security.ServiceTokens;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** catalog-service's internal API, called as this service (role {@code service}). Answers are inspected. */
@RegisterRestClient(configKey = "catalog")
@Path("/internal")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Authorization", value = "{bearer}")
public interface CatalogClient {

    default String bearer() {
        return CDI.current().select(ServiceTokens.class).get().bearer();
    }

    @POST
    @Path("/workflow-authorizations")
    Response authorize(Map<String, Object> question);

    @GET
    @Path("/products/{ref}")
    Response product(@PathParam("ref") String ref);

    @GET
    @Path("/budgets/{budgetId}/credentials/{key}")
    Response credential(@PathParam("budgetId") String budgetId, @PathParam("key") String key);
}
