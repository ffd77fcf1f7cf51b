package dev.tollgate.workflow.catalog;

import dev.tollgate.platform.security.ServiceTokens;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * catalog-service's purchase call, apart from {@link CatalogClient} for its own read timeout: a purchase answers when
 * its tool has (a vendor may take 15 s, the built-in wait 60 s), and a worker that stopped listening before that would
 * report a step failed that catalog then charges. The trigger path's calls keep their short timeout. Every status is
 * an answer here (a 402 or a 409 decides the step as much as a 200 does), so the response comes back whatever its
 * status, and its body is read as a {@link StepPurchaseAnswer}.
 */
@RegisterRestClient(configKey = "catalog-purchases")
@Path("/internal/purchases")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Authorization", value = "{bearer}")
public interface CatalogPurchaseClient {

    default String bearer() {
        return CDI.current().select(ServiceTokens.class).get().bearer();
    }

    @POST
    Response purchase(StepPurchase purchase);
}
