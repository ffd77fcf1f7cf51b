package dev.tollgate.catalog.bundles;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.catalog.products.Product;
import dev.tollgate.catalog.products.ProductRepository;
import dev.tollgate.catalog.products.ToolView;
import dev.tollgate.platform.web.RequestFields;
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

    public Bundle create(JsonNode body) {
        RequestFields f = RequestFields.ofBody(body);
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
            if (mustBeProducts && products.findByHexId(id).isEmpty()) {
                f.problem(List.of(field, i), "Unknown product", "not_found", node.get(i));
            } else if (id.isBlank()) {
                f.problem(List.of(field, i), "Ids are non-empty strings", "string_too_short", node.get(i));
            } else {
                ids.add(id);
            }
        }
        return ids;
    }
}
