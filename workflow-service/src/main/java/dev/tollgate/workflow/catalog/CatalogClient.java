package dev.tollgate.workflow.catalog;

import dev.tollgate.platform.security.ServiceTokens;
import dev.tollgate.platform.web.Envelope;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * catalog-service's internal API, called as this service (role {@code service}). Each call sends a record and is
 * answered with the record named beside it, in the platform's {@code Envelope}; the response comes back whatever its
 * status (a 404 is an answer: no such product or credential), and {@link Catalog} reads it as that type.
 */
@RegisterRestClient(configKey = "catalog")
@Path("/internal")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Authorization", value = "{bearer}")
public interface CatalogClient {

    default String bearer() {
        return CDI.current().select(ServiceTokens.class).get().bearer();
    }

    /** {@code Envelope<WorkflowAuthorization>}. */
    GenericType<Envelope<WorkflowAuthorization>> AUTHORIZATION = new GenericType<>() { };
    /** {@code Envelope<CatalogProduct.Found>}. */
    GenericType<Envelope<CatalogProduct.Found>> PRODUCT = new GenericType<>() { };
    /** {@code Envelope<BudgetCredential>}. */
    GenericType<Envelope<BudgetCredential>> CREDENTIAL = new GenericType<>() { };

    /** Answered with {@link #AUTHORIZATION}. */
    @POST
    @Path("/workflow-authorizations")
    Response authorize(AuthorizationQuestion question);

    /** Answered with {@link #PRODUCT}; 404 when there is no such product. */
    @GET
    @Path("/products/{ref}")
    Response product(@PathParam("ref") String ref);

    /** Answered with {@link #CREDENTIAL}; 404 when the budget does not have it. */
    @GET
    @Path("/budgets/{budgetId}/credentials/{key}")
    Response credential(@PathParam("budgetId") String budgetId, @PathParam("key") String key);
}
