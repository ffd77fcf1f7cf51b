package dev.tollgate.catalog.products;

import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.catalog.config.CatalogConfig;
import io.quarkus.mongodb.panache.PanacheMongoRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Products. Resolving a reference (every purchase, the embed page's and workflow workers' look-ups) is served from a
 * short-lived cache ({@code tollgate.catalog.caches.*}); an admin's change through this replica calls
 * {@link #productsChanged()}, which drops every cached look-up, and another replica's is seen within the TTL.
 * Cached products are shared between requests: callers read them and never change their fields (the admin API
 * edits what {@link #findById} reads, never a cached copy).
 */
@ApplicationScoped
public class ProductRepository implements PanacheMongoRepository<Product> {

    /** reference (ObjectId, slug or name) → the product it resolved to; references that resolve to none are not kept. */
    private final Cache<String, ProductLookup> lookups;

    public ProductRepository(CatalogConfig config) {
        lookups = Caffeine.newBuilder().expireAfterWrite(config.caches().ttl())
                .maximumSize(config.caches().maxEntries()).build();
    }

    /** Call after creating, changing or retiring a product: every cached look-up may name it. */
    public void productsChanged() {
        lookups.invalidateAll();
    }

    public record Page(List<Product> items, long total) {
    }

    /** The active products among {@code ids}, in the order of {@code ids} (one page of a budget's products). */
    public List<Product> activeInOrder(List<String> ids) {
        // Point reads by _id use the primary index in any MongoDB; an $in over many ids may not.
        return ids.stream().filter(ObjectId::isValid)
                .map(id -> findById(new ObjectId(id))).filter(p -> p != null && p.isActive()).toList();
    }

    /** The product with this id, if the id is one. */
    public Optional<Product> findByHexId(String id) {
        return id != null && ObjectId.isValid(id) ? findByIdOptional(new ObjectId(id)) : Optional.empty();
    }

    /** The catalog in name order, all of it or the products with this status. */
    public List<Product> listByName(String status) {
        Document filter = status == null ? new Document() : new Document("status", status);
        return find(filter, new Document("name", 1)).list();
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
        if ((long) (page - 1) * pageSize >= total) {
            return new Page(List.of(), total); // past the last page (and no int overflow in Panache's offset)
        }
        List<Product> items = find(filter, new Document("name", 1)).page(page - 1, pageSize).list();
        return new Page(items, total);
    }

    /**
     * Resolves what an agent calls a product: an ObjectId first, then a slug, then an exact name. Agents report
     * whatever identifier they were holding, so all three are accepted.
     */
    public ProductLookup lookup(String reference) {
        if (reference == null) {
            return resolve(null);
        }
        ProductLookup found = lookups.get(reference, r -> {
            ProductLookup l = resolve(r);
            return l.found() ? l : null;
        });
        return found != null ? found : new ProductLookup(null, ProductLookup.Method.NOT_FOUND);
    }

    private ProductLookup resolve(String reference) {
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
