package dev.tollgate.catalog.budgets;

import java.util.Map;

import dev.tollgate.catalog.http.CatalogError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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

    @Inject
    BudgetRepository budgets;

    @Inject
    CredentialCipher cipher;

    @GET
    public Map<String, Object> get(@PathParam("budgetId") String budgetId, @PathParam("key") String key) {
        Budget b = budgets.findByHexId(budgetId).orElseThrow(() -> CatalogError.notFound("Budget not found"));
        if (!b.hasCredential(key)) {
            throw new CatalogError(404, "credential_missing", "The budget has no credential " + key);
        }
        return Map.of("success", true, "data", Map.of("key", key, "value", cipher.decrypt(b.credentials.get(key).ciphertext)));
    }
}
