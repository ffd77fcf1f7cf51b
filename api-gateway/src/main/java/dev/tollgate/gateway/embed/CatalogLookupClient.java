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

/** What the embed pages ask catalog-service, as the gateway (role {@code service}). Answers are inspected. */
@RegisterRestClient(configKey = "embed-catalog")
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Authorization", value = "{bearer}")
public interface CatalogLookupClient {

    default String bearer() {
        return CDI.current().select(ServiceTokens.class).get().bearer();
    }

    /** A product by ObjectId, slug or name, with its price and each action's parameter schema. */
    @GET
    @Path("/internal/products/{ref}")
    Response product(@PathParam("ref") String ref);

    /** A bundle, with its active tools and its workflow ids. */
    @GET
    @Path("/bundles/{id}")
    Response bundle(@PathParam("id") String id);
}
