package dev.tollgate.catalog.budgets;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.tollgate.catalog.apikeys.ApiKey;
import dev.tollgate.catalog.apikeys.ApiKeys;
import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.catalog.products.ProductRepository;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.RequestFields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Budgets: what a user may use. Admins create them, enable products and workflows, and issue API keys; a budget's
 * owner may also set its credentials (stored encrypted, shown back only as their last four characters).
 */
@Path("/admin/budgets")
@Produces(MediaType.APPLICATION_JSON)
public class BudgetAdminResource {

    static final Pattern CREDENTIAL_KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    static final Pattern WORKFLOW_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final List<String> ASSIGNABLE_ROLES = List.of("user", "admin");

    @Inject
    BudgetRepository budgets;

    @Inject
    ProductRepository products;

    @Inject
    ApiKeys apiKeys;

    @Inject
    BudgetProducts budgetProducts;

    @Inject
    dev.tollgate.catalog.budgets.BudgetCredentials credentials;

    @Inject
    JsonBody json;

    @Inject
    JsonWebToken caller;

    @POST
    @RolesAllowed("admin")
    public Response create(String body) {
        RequestFields f = RequestFields.ofBody(json.parse(body));
        String owner = f.requiredString("owner_user_id", 128);
        String name = f.requiredString("name", 200);
        f.done();
        Budget b = new Budget();
        b.id = new ObjectId();
        b.ownerUserId = owner;
        b.name = name;
        b.createdAt = Instant.now();
        budgets.create(b);
        return Response.status(201).entity(envelope(view(b))).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ "admin", "user" })
    public Map<String, Object> get(@PathParam("id") String id) {
        return envelope(view(ownedOrAdmin(id)));
    }

    @PUT
    @Path("/{id}/products/{productId}")
    @RolesAllowed("admin")
    public Map<String, Object> enableProduct(@PathParam("id") String id, @PathParam("productId") String productId) {
        Budget b = find(id);
        var product = ObjectId.isValid(productId) ? products.findById(new ObjectId(productId)) : null;
        if (product == null) {
            throw CatalogError.notFound("Product not found");
        }
        budgetProducts.enable(b.id.toHexString(), product);
        return envelope(view(find(id)));
    }

    @DELETE
    @Path("/{id}/products/{productId}")
    @RolesAllowed("admin")
    public Map<String, Object> disableProduct(@PathParam("id") String id, @PathParam("productId") String productId) {
        Budget b = find(id);
        budgetProducts.disable(b.id.toHexString(), productId);
        return envelope(view(find(id)));
    }

    @PUT
    @Path("/{id}/workflows/{workflowId}")
    @RolesAllowed("admin")
    public Map<String, Object> enableWorkflow(@PathParam("id") String id, @PathParam("workflowId") String workflowId) {
        Budget b = find(id);
        if (!WORKFLOW_ID.matcher(workflowId).matches()) {
            throw new CatalogError(400, "invalid_workflow_id", "Workflow ids are 1-64 letters, digits, '-' or '_'");
        }
        budgets.addWorkflow(b.id, workflowId);
        return envelope(view(find(id)));
    }

    @DELETE
    @Path("/{id}/workflows/{workflowId}")
    @RolesAllowed("admin")
    public Map<String, Object> disableWorkflow(@PathParam("id") String id, @PathParam("workflowId") String workflowId) {
        Budget b = find(id);
        budgets.removeWorkflow(b.id, workflowId);
        return envelope(view(find(id)));
    }

    @PUT
    @Path("/{id}/credentials/{key}")
    @RolesAllowed({ "admin", "user" })
    public Map<String, Object> setCredential(@PathParam("id") String id, @PathParam("key") String key, String body) {
        Budget b = ownedOrAdmin(id);
        if (!CREDENTIAL_KEY.matcher(key).matches()) {
            throw new CatalogError(400, "invalid_credential_key", "Credential keys are lower_snake_case");
        }
        RequestFields f = RequestFields.ofBody(json.parse(body));
        String value = f.requiredString("value", 8192);
        f.done();
        credentials.store(b.id, key, value);
        return envelope(view(find(id)));
    }

    @POST
    @Path("/{id}/api-keys")
    @RolesAllowed("admin")
    public Response issueKey(@PathParam("id") String id, String body) {
        Budget b = find(id);
        List<String> roles = List.of("user");
        String label = null;
        if (body != null && !body.isBlank()) {
            var node = json.parse(body);
            RequestFields f = RequestFields.ofBody(node);
            label = f.optionalString("label", 200);
            var rolesNode = f.node("roles", false);
            if (rolesNode != null) {
                List<String> asked = new java.util.ArrayList<>();
                rolesNode.forEach(r -> asked.add(r.asText()));
                if (!rolesNode.isArray() || asked.isEmpty() || !ASSIGNABLE_ROLES.containsAll(asked)) {
                    f.problem(List.of("roles"), "Roles are a non-empty list of " + ASSIGNABLE_ROLES, "enum", rolesNode);
                } else {
                    roles = List.copyOf(new java.util.LinkedHashSet<>(asked));
                }
            }
            f.done();
        }
        ApiKeys.Issued issued = apiKeys.issue(b.ownerUserId, b.id.toHexString(), roles, label);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("api_key", issued.plaintext());
        data.put("key_id", issued.record().id.toHexString());
        data.put("prefix", issued.record().prefix);
        data.put("user_id", issued.record().userId);
        data.put("budget_id", issued.record().budgetId);
        data.put("roles", issued.record().roles);
        data.put("note", "Store this key now: it is not shown again.");
        return Response.status(201).entity(envelope(data)).build();
    }

    /** The budget's API keys (never the keys themselves: an id, the first characters, label, roles, times). */
    @GET
    @Path("/{id}/api-keys")
    @RolesAllowed({ "admin", "user" })
    public Map<String, Object> listKeys(@PathParam("id") String id) {
        Budget b = ownedOrAdmin(id);
        return envelope(Map.of("api_keys", apiKeys.ofBudget(b.id.toHexString()).stream().map(this::keyView).toList()));
    }

    /**
     * Revokes a key at once: it exchanges for no new token. A token it was already exchanged for stays valid until it
     * expires (tollgate.gateway.tokens.ttl, an hour). An admin may revoke any key, an owner the keys of their budget.
     */
    @DELETE
    @Path("/{id}/api-keys/{keyId}")
    @RolesAllowed({ "admin", "user" })
    public Map<String, Object> revokeKey(@PathParam("id") String id, @PathParam("keyId") String keyId) {
        Budget b = ownedOrAdmin(id);
        ApiKey key = apiKeys.revoke(b.id.toHexString(), keyId)
                .orElseThrow(() -> new CatalogError(404, "api_key_not_found", "API key not found"));
        return envelope(Map.of("api_key", keyView(key)));
    }

    private Map<String, Object> keyView(ApiKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key_id", k.id.toHexString());
        m.put("prefix", k.prefix);
        m.put("label", k.label);
        m.put("user_id", k.userId);
        m.put("budget_id", k.budgetId);
        m.put("roles", k.roles);
        m.put("created_at", k.createdAt == null ? null : k.createdAt.toString());
        m.put("revoked_at", k.revokedAt == null ? null : k.revokedAt.toString());
        return m;
    }

    private Budget ownedOrAdmin(String id) {
        Budget b = find(id);
        if (!caller.getGroups().contains("admin") && !b.ownerUserId.equals(caller.getSubject())) {
            throw CatalogError.notFound("Budget not found"); // another user's budget is indistinguishable from none
        }
        return b;
    }

    private Budget find(String id) {
        return budgets.findByHexId(id).orElseThrow(() -> CatalogError.notFound("Budget not found"));
    }

    Map<String, Object> view(Budget b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("budget_id", b.id.toHexString());
        m.put("owner_user_id", b.ownerUserId);
        m.put("name", b.name);
        m.put("product_ids", budgetProducts.all(b.id.toHexString()));
        m.put("workflow_ids", b.workflowIds == null ? List.of() : b.workflowIds);
        m.put("credentials", b.credentials == null ? List.of() : b.credentials.entrySet().stream().map(e -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("key", e.getKey());
            c.put("last4", e.getValue().last4);
            c.put("updated_at", e.getValue().updatedAt == null ? null : e.getValue().updatedAt.toString());
            return c;
        }).toList());
        m.put("created_at", b.createdAt == null ? null : b.createdAt.toString());
        return m;
    }

    static Map<String, Object> envelope(Map<String, Object> data) {
        return Map.of("success", true, "data", data);
    }
}
