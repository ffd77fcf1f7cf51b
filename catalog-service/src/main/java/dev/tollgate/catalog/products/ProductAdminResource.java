package dev.tollgate.catalog.products;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.catalog.tools.BuiltInTools;
import dev.tollgate.catalog.tools.VendorEgress;
import dev.tollgate.platform.web.JsonBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bson.Document;
import org.bson.types.ObjectId;

/** Admin API for the tool catalog: create, replace, retire, list. */
@Path("/admin/products")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class ProductAdminResource {

    @Inject
    ProductRepository products;

    @Inject
    BuiltInTools builtIns;

    @Inject
    dev.tollgate.catalog.budgets.BudgetProducts budgetProducts;

    @Inject
    ActionSchemas schemas;

    @Inject
    JsonBody json;

    @Inject
    ObjectMapper mapper;

    @Inject
    VendorEgress vendorEgress;

    @POST
    public Response create(String body) {
        ProductDefinition d = parse(body);
        Product p = new Product();
        p.id = new ObjectId();
        p.createdAt = Instant.now();
        p.status = Product.ACTIVE;
        apply(d, p);
        try {
            products.persist(p);
        } catch (MongoWriteException e) {
            throw duplicate(e);
        }
        products.productsChanged();
        return Response.status(201).entity(Map.of("success", true, "data", Map.of("product", ProductViews.admin(p, mapper))))
                .build();
    }

    @PUT
    @Path("/{id}")
    public Map<String, Object> replace(@PathParam("id") String id, String body) {
        Product p = find(id);
        apply(parse(body), p);
        try {
            products.update(p);
        } catch (MongoWriteException e) {
            throw duplicate(e);
        }
        products.productsChanged();
        budgetProducts.productChanged(p);
        return Map.of("success", true, "data", Map.of("product", ProductViews.admin(p, mapper)));
    }

    /** Retired products disappear from fetch and cannot be bought; orders and reports keep referring to them. */
    @POST
    @Path("/{id}/retire")
    public Map<String, Object> retire(@PathParam("id") String id) {
        Product p = find(id);
        p.status = Product.RETIRED;
        p.updatedAt = Instant.now();
        products.update(p);
        products.productsChanged();
        budgetProducts.productChanged(p);
        return Map.of("success", true, "data", Map.of("product", ProductViews.admin(p, mapper)));
    }

    @GET
    @Path("/{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return Map.of("success", true, "data", Map.of("product", ProductViews.admin(find(id), mapper)));
    }

    @GET
    public Map<String, Object> list(@QueryParam("status") String status) {
        Document filter = status == null ? new Document() : new Document("status", status);
        List<Map<String, Object>> all = products.find(filter, new Document("name", 1)).list().stream()
                .map(p -> ProductViews.admin(p, mapper)).toList();
        return Map.of("success", true, "data", Map.of("products", all));
    }

    private ProductDefinition parse(String body) {
        return ProductDefinition.parse(json.parse(body), builtIns, schemas, mapper, vendorEgress.policy());
    }

    private Product find(String id) {
        if (!ObjectId.isValid(id)) {
            throw CatalogError.notFound("Product not found");
        }
        Product p = products.findById(new ObjectId(id));
        if (p == null) {
            throw CatalogError.notFound("Product not found");
        }
        return p;
    }

    private static void apply(ProductDefinition d, Product p) {
        p.slug = d.slug();
        p.name = d.name();
        p.displayName = d.displayName();
        p.description = d.description();
        p.priceCredits = d.priceCredits();
        p.actions = d.actions();
        p.requiredCredentials = d.requiredCredentials();
        p.invocation = d.invocation();
        p.builtinTool = d.builtinTool();
        p.vendorUrl = d.vendorUrl();
        p.extra = d.extra();
        p.updatedAt = Instant.now();
    }

    private static RuntimeException duplicate(MongoWriteException e) {
        if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
            return new CatalogError(409, "product_exists", "A product with this slug or name already exists");
        }
        return e;
    }
}
