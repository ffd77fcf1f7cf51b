package dev.tollgate.catalog.products;

import java.util.List;
import java.util.Optional;

import io.quarkus.mongodb.panache.PanacheMongoRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.types.ObjectId;

@ApplicationScoped
public class ProductRepository implements PanacheMongoRepository<Product> {

    public record Page(List<Product> items, long total) {
    }

    /** The products of one page of a budget's enabled products, in that page's order. */
    public Page page(dev.tollgate.catalog.budgets.BudgetProducts.Page ids) {
        // Point reads by _id use the primary index in any MongoDB; an $in over many ids may not.
        List<Product> items = ids.productIds().stream().filter(ObjectId::isValid)
                .map(id -> findById(new ObjectId(id))).filter(p -> p != null && p.isActive()).toList();
        return new Page(items, ids.total());
    }

    /** Active products among {@code ids}, by function name, one page of them. */
    public Page activePage(List<String> ids, int page, int pageSize) {
        if (ids.isEmpty()) {
            return new Page(List.of(), 0);
        }
        List<ObjectId> objectIds = ids.stream().filter(ObjectId::isValid).map(ObjectId::new).toList();
        Document filter = new Document("_id", new Document("$in", objectIds))
                .append("status", new Document("$ne", Product.RETIRED));
        long total = count(filter);
        List<Product> items = find(filter, new Document("name", 1)).page(page - 1, pageSize).list();
        return new Page(items, total);
    }

    /**
     * Resolves what an agent calls a product: an ObjectId first, then a slug, then an exact name. Agents report
     * whatever identifier they were holding, so all three are accepted.
     */
    public ProductLookup lookup(String reference) {
        if (reference != null && ObjectId.isValid(reference)) {
            Optional<Product> byId = findByIdOptional(new ObjectId(reference));
            if (byId.isPresent()) {
                return new ProductLookup(byId.get(), ProductLookup.Method.OBJECT_ID);
            }
        }
        Product bySlug = find(new Document("slug", reference)).firstResult();
        if (bySlug != null) {
            return new ProductLookup(bySlug, ProductLookup.Method.SLUG);
        }
        Product byName = find(new Document("name", reference)).firstResult();
        if (byName != null) {
            return new ProductLookup(byName, ProductLookup.Method.EXACT_NAME);
        }
        return new ProductLookup(null, ProductLookup.Method.NOT_FOUND);
    }
}
