package dev.tollgate.catalog.products;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.http.CatalogError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Internal: does this product exist and is it buyable? workflow-service asks when a workflow is saved (it reads the
 * action names); the gateway's embed page asks to build its purchase form (it reads the display name, description,
 * price and each action's parameter schema from {@code action_schemas}).
 */
@Path("/internal/products/{ref}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("service")
public class InternalProductResource {

    @Inject
    ProductRepository products;

    @Inject
    ObjectMapper mapper;

    @GET
    public Map<String, Object> get(@PathParam("ref") String ref) {
        Product p = products.lookup(ref).product();
        if (p == null) {
            throw new CatalogError(404, "product_not_found", "Product not found");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("product_id", p.id.toHexString());
        m.put("name", p.name);
        m.put("display_name", p.displayName);
        m.put("description", p.description);
        m.put("status", p.isActive() ? Product.ACTIVE : Product.RETIRED);
        m.put("price_credits", p.priceCredits);
        m.put("actions", p.actions == null ? java.util.List.of() : p.actions.stream().map(a -> a.name).toList());
        // The same action entries /products/fetch shows: name, description, parameters_schema.
        m.put("action_schemas", ProductViews.tool(p, mapper).get("actions"));
        return Map.of("success", true, "data", Map.of("product", m));
    }
}
