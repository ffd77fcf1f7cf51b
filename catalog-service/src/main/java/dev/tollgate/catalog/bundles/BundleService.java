package dev.tollgate.catalog.bundles;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.catalog.products.Product;
import dev.tollgate.catalog.products.ProductRepository;
import dev.tollgate.catalog.products.ToolView;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

/** Bundles: every product id must name a product when the bundle is made; only active ones are shown. */
@ApplicationScoped
public class BundleService {

    private final BundleRepository bundles;
    private final ProductRepository products;
    private final ObjectMapper mapper;

    public BundleService(BundleRepository bundles, ProductRepository products, ObjectMapper mapper) {
        this.bundles = bundles;
        this.products = products;
        this.mapper = mapper;
    }

    /** The body, checked (every product id must name a product now). */
    public BundleRequest read(JsonNode body) {
        return BundleRequest.from(body, id -> products.findByHexId(id).isPresent());
    }

    public Bundle create(BundleRequest request) {
        Bundle b = new Bundle();
        b.id = new ObjectId();
        b.name = request.name();
        b.description = request.description();
        b.productIds = request.productIds();
        b.workflowIds = request.workflowIds();
        b.createdAt = Instant.now();
        bundles.persist(b);
        return b;
    }

    public Bundle find(String id) {
        Bundle b = ObjectId.isValid(id) ? bundles.findById(new ObjectId(id)) : null;
        if (b == null) {
            throw new CatalogError(404, "bundle_not_found", "Bundle not found");
        }
        return b;
    }

    public BundleView view(Bundle b) {
        List<Product> tools = b.productIds.isEmpty() ? List.of()
                : products.activePage(b.productIds, 1, Math.max(1, b.productIds.size())).items();
        return new BundleView(b.id.toHexString(), b.name, b.description,
                tools.stream().map(p -> ToolView.of(p, mapper)).toList(), b.workflowIds, b.createdAt.toString());
    }
}
