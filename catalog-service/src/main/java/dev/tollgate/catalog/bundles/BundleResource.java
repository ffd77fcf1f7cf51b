package dev.tollgate.catalog.bundles;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.catalog.products.Product;
import dev.tollgate.catalog.products.ProductRepository;
import dev.tollgate.catalog.products.ProductViews;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.RequestFields;
import io.quarkus.mongodb.panache.PanacheMongoRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bson.types.ObjectId;

/** Admins create bundles; signed-in users and services (the embed widget) read them with their active tools. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class BundleResource {

    @ApplicationScoped
    public static class Bundles implements PanacheMongoRepository<Bundle> {
    }

    @Inject
    Bundles bundles;

    @Inject
    ProductRepository products;

    @Inject
    JsonBody json;

    @Inject
    ObjectMapper mapper;

    @POST
    @Path("admin/bundles")
    @RolesAllowed("admin")
    public Response create(String body) {
        RequestFields f = RequestFields.ofBody(json.parse(body));
        String name = f.requiredString("name", 200);
        String description = f.optionalString("description", 4000);
        List<String> productIds = ids(f.node("product_ids", false), "product_ids", f, true);
        List<String> workflowIds = ids(f.node("workflow_ids", false), "workflow_ids", f, false);
        f.done();
        Bundle b = new Bundle();
        b.id = new ObjectId();
        b.name = name;
        b.description = description;
        b.productIds = productIds;
        b.workflowIds = workflowIds;
        b.createdAt = Instant.now();
        bundles.persist(b);
        return Response.status(201).entity(Map.of("success", true, "data", Map.of("bundle", view(b)))).build();
    }

    @GET
    @Path("bundles/{id}")
    @RolesAllowed({ "user", "service", "admin" })
    public Map<String, Object> get(@PathParam("id") String id) {
        Bundle b = ObjectId.isValid(id) ? bundles.findById(new ObjectId(id)) : null;
        if (b == null) {
            throw new CatalogError(404, "bundle_not_found", "Bundle not found");
        }
        return Map.of("success", true, "data", Map.of("bundle", view(b)));
    }

    private List<String> ids(JsonNode node, String field, RequestFields f, boolean mustBeProducts) {
        List<String> ids = new ArrayList<>();
        if (node == null) {
            return ids;
        }
        if (!node.isArray()) {
            f.problem(List.of(field), "Input should be a valid list", "list_type", node);
            return ids;
        }
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                f.problem(List.of(field, i), "Input should be a valid string", "string_type", node.get(i));
                continue;
            }
            String id = node.get(i).asText();
            if (mustBeProducts && (!ObjectId.isValid(id) || products.findById(new ObjectId(id)) == null)) {
                f.problem(List.of(field, i), "Unknown product", "not_found", node.get(i));
            } else if (id.isBlank()) {
                f.problem(List.of(field, i), "Ids are non-empty strings", "string_too_short", node.get(i));
            } else {
                ids.add(id);
            }
        }
        return ids;
    }

    private Map<String, Object> view(Bundle b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bundle_id", b.id.toHexString());
        m.put("name", b.name);
        m.put("description", b.description);
        List<Product> tools = b.productIds.isEmpty() ? List.of()
                : products.activePage(b.productIds, 1, Math.max(1, b.productIds.size())).items();
        m.put("tools", tools.stream().map(p -> ProductViews.tool(p, mapper)).toList());
        m.put("workflow_ids", b.workflowIds);
        m.put("created_at", b.createdAt.toString());
        return m;
    }
}
