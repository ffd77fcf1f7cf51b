package dev.tollgate.catalog.budgets;

import dev.tollgate.platform.web.Envelope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Internal, for workflow workers: a budget credential's value, decrypted, to call a model on the owner's behalf. */
@Path("/internal/budgets/{budgetId}/credentials/{key}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("service")
public class InternalCredentialResource {

    public record Credential(String key, String value) {
    }

    private final BudgetService budgets;

    public InternalCredentialResource(BudgetService budgets) {
        this.budgets = budgets;
    }

    @GET
    public Envelope<Credential> get(@PathParam("budgetId") String budgetId, @PathParam("key") String key) {
        return Envelope.of(new Credential(key, budgets.credentialValue(budgetId, key)));
    }
}
