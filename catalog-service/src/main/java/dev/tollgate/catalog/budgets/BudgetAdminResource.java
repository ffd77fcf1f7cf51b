package dev.tollgate.catalog.budgets;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.catalog.apikeys.ApiKey;
import dev.tollgate.catalog.apikeys.ApiKeyService;
import dev.tollgate.catalog.apikeys.ApiKeyView;
import dev.tollgate.catalog.apikeys.IssuedApiKeyView;
import dev.tollgate.catalog.apikeys.KeyRequest;
import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.platform.web.Envelope;
import dev.tollgate.platform.web.JsonBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * Budgets: what a user may use. Admins create them, enable products and workflows, and issue API keys; a budget's
 * owner may also set its credentials (stored encrypted, shown back only as their last four characters) and see and
 * revoke its keys.
 */
@Path("/admin/budgets")
@Produces(MediaType.APPLICATION_JSON)
public class BudgetAdminResource {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ApiKeys(List<ApiKeyView> apiKeys) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OneApiKey(ApiKeyView apiKey) {
    }

    private final BudgetService budgets;
    private final ApiKeyService apiKeys;
    private final JsonBody json;
    private final JsonWebToken caller;

    public BudgetAdminResource(BudgetService budgets, ApiKeyService apiKeys, JsonBody json, JsonWebToken caller) {
        this.budgets = budgets;
        this.apiKeys = apiKeys;
        this.json = json;
        this.caller = caller;
    }

    @POST
    @RolesAllowed("admin")
    public Response create(
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BudgetRequest.class))) String body) {
        BudgetRequest request = BudgetRequest.from(json.parse(body));
        return Response.status(201).entity(Envelope.of(budgets.view(budgets.create(request.ownerUserId(),
                request.name())))).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ "admin", "user" })
    public Envelope<BudgetView> get(@PathParam("id") String id) {
        return Envelope.of(budgets.view(visible(id)));
    }

    @PUT
    @Path("/{id}/products/{productId}")
    @RolesAllowed("admin")
    public Envelope<BudgetView> enableProduct(@PathParam("id") String id, @PathParam("productId") String productId) {
        budgets.enableProduct(budgets.find(id), productId);
        return current(id);
    }

    @DELETE
    @Path("/{id}/products/{productId}")
    @RolesAllowed("admin")
    public Envelope<BudgetView> disableProduct(@PathParam("id") String id, @PathParam("productId") String productId) {
        budgets.disableProduct(budgets.find(id), productId);
        return current(id);
    }

    @PUT
    @Path("/{id}/workflows/{workflowId}")
    @RolesAllowed("admin")
    public Envelope<BudgetView> enableWorkflow(@PathParam("id") String id, @PathParam("workflowId") String workflowId) {
        budgets.enableWorkflow(budgets.find(id), workflowId);
        return current(id);
    }

    @DELETE
    @Path("/{id}/workflows/{workflowId}")
    @RolesAllowed("admin")
    public Envelope<BudgetView> disableWorkflow(@PathParam("id") String id, @PathParam("workflowId") String workflowId) {
        budgets.disableWorkflow(budgets.find(id), workflowId);
        return current(id);
    }

    @PUT
    @Path("/{id}/credentials/{key}")
    @RolesAllowed({ "admin", "user" })
    public Envelope<BudgetView> setCredential(@PathParam("id") String id, @PathParam("key") String key,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CredentialValue.class))) String body) {
        Budget b = visible(id);
        BudgetService.requireCredentialKey(key);
        budgets.storeCredential(b, key, CredentialValue.from(json.parse(body)).value());
        return current(id);
    }

    @POST
    @Path("/{id}/api-keys")
    @RolesAllowed("admin")
    public Response issueKey(@PathParam("id") String id,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = KeyRequest.class))) String body) {
        Budget b = budgets.find(id);
        KeyRequest request = json.parseOptional(body).map(KeyRequest::from).orElse(KeyRequest.DEFAULTS);
        ApiKeyService.Issued issued = apiKeys.issue(b.ownerUserId, b.id.toHexString(), request.roles(),
                request.label());
        return Response.status(201).entity(Envelope.of(IssuedApiKeyView.of(issued))).build();
    }

    /** The budget's API keys (never the keys themselves: an id, the first characters, label, roles, times). */
    @GET
    @Path("/{id}/api-keys")
    @RolesAllowed({ "admin", "user" })
    public Envelope<ApiKeys> listKeys(@PathParam("id") String id) {
        Budget b = visible(id);
        return Envelope.of(new ApiKeys(apiKeys.ofBudget(b.id.toHexString()).stream().map(ApiKeyView::of).toList()));
    }

    /**
     * Revokes a key at once: it exchanges for no new token. A token it was already exchanged for stays valid until it
     * expires (tollgate.gateway.tokens.ttl, an hour). An admin may revoke any key, an owner the keys of their budget.
     */
    @DELETE
    @Path("/{id}/api-keys/{keyId}")
    @RolesAllowed({ "admin", "user" })
    public Envelope<OneApiKey> revokeKey(@PathParam("id") String id, @PathParam("keyId") String keyId) {
        Budget b = visible(id);
        ApiKey key = apiKeys.revoke(b.id.toHexString(), keyId)
                .orElseThrow(() -> new CatalogError(404, "api_key_not_found", "API key not found"));
        return Envelope.of(new OneApiKey(ApiKeyView.of(key)));
    }

    private Budget visible(String id) {
        return budgets.visible(id, Caller.of(caller));
    }

    /** The budget as it stands after a change (read again: the change went to the store, not to this copy). */
    private Envelope<BudgetView> current(String id) {
        return Envelope.of(budgets.view(budgets.find(id)));
    }
}
