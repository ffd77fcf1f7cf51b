package dev.tollgate.catalog.products;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.catalog.tools.BuiltInTools;
import dev.tollgate.catalog.tools.VendorEgress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.bson.types.ObjectId;

/**
 * The tool catalog as admins change it: a definition is checked completely before anything is stored, slugs and
 * names stay unique (the store's unique indexes decide), and every change drops the cached look-ups and tells
 * whoever copies product fields ({@link ProductChanged}).
 */
@ApplicationScoped
public class ProductService {

    private final ProductRepository products;
    private final BuiltInTools builtIns;
    private final ActionSchemas schemas;
    private final ObjectMapper mapper;
    private final VendorEgress vendorEgress;
    private final Event<ProductChanged> changed;

    public ProductService(ProductRepository products, BuiltInTools builtIns, ActionSchemas schemas,
            ObjectMapper mapper, VendorEgress vendorEgress, Event<ProductChanged> changed) {
        this.products = products;
        this.builtIns = builtIns;
        this.schemas = schemas;
        this.mapper = mapper;
        this.vendorEgress = vendorEgress;
        this.changed = changed;
    }

    public Product create(JsonNode body) {
        ProductDefinition d = define(body);
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
        products.productsChanged(); // no budget enables a new product yet: nothing copies it
        return p;
    }

    public Product replace(String id, JsonNode body) {
        Product p = find(id);
        apply(define(body), p);
        try {
            products.update(p);
        } catch (MongoWriteException e) {
            throw duplicate(e);
        }
        products.productsChanged();
        changed.fire(new ProductChanged(p));
        return p;
    }

    /** Retired products disappear from fetch and cannot be bought; orders and reports keep referring to them. */
    public Product retire(String id) {
        Product p = find(id);
        p.status = Product.RETIRED;
        p.updatedAt = Instant.now();
        products.update(p);
        products.productsChanged();
        changed.fire(new ProductChanged(p));
        return p;
    }

    public Product find(String id) {
        return products.findByHexId(id).orElseThrow(() -> CatalogError.notFound("Product not found"));
    }

    /** A product by ObjectId, slug or name, retired or not; 404 {@code product_not_found} when none. */
    public Product resolve(String reference) {
        Product p = products.lookup(reference).product();
        if (p == null) {
            throw new CatalogError(404, "product_not_found", "Product not found");
        }
        return p;
    }

    public List<Product> list(String status) {
        return products.listByName(status);
    }

    private ProductDefinition define(JsonNode body) {
        return ProductDefinition.parse(body, builtIns, schemas, mapper, vendorEgress.policy());
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
