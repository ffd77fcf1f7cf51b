package dev.tollgate.catalog.budgets;

import java.util.ArrayList;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.tollgate.catalog.config.CatalogConfig;
import dev.tollgate.catalog.products.Product;
import dev.tollgate.catalog.products.ProductChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which products a budget enables, one small document per pair ({@code budget_products}), carrying the product's
 * name and status. A budget may enable tens of thousands of tools: paging them by name is then a filter on one
 * budget id and a sort, instead of a membership test against a list of every id, and the budget document stays
 * small.
 *
 * <p>Whether a budget enables a product (asked by every purchase) is cached briefly ({@code tollgate.catalog.caches.*}):
 * this class makes every write to the pairs and drops the affected answers right after it (an admin's change to a
 * product arrives as {@link ProductChanged}); another replica's change is seen within the TTL.
 */
@ApplicationScoped
public class BudgetProductRepository {

    static final String COLLECTION = "budget_products";

    private final MongoClient mongo;
    private final String database;

    /** budget:product → whether the pair exists and is active. */
    private final Cache<String, Boolean> enabled;

    public BudgetProductRepository(MongoClient mongo,
            @ConfigProperty(name = "quarkus.mongodb.database") String database, CatalogConfig config) {
        this.mongo = mongo;
        this.database = database;
        this.enabled = Caffeine.newBuilder().expireAfterWrite(config.caches().ttl())
                .maximumSize(config.caches().maxEntries()).build();
    }

    /** One page of a budget's enabled product ids, in name order, and how many it enables in all. */
    public record Page(List<String> productIds, long total) {
    }

    public void enable(String budgetId, Product p) {
        pairs().replaceOne(Filters.eq("_id", key(budgetId, p.id.toHexString())),
                new Document("_id", key(budgetId, p.id.toHexString())).append("budgetId", budgetId)
                        .append("productId", p.id.toHexString()).append("name", p.name)
                        .append("active", p.isActive()),
                new ReplaceOptions().upsert(true));
        enabled.invalidate(key(budgetId, p.id.toHexString()));
    }

    public void disable(String budgetId, String productId) {
        pairs().deleteOne(Filters.eq("_id", key(budgetId, productId)));
        enabled.invalidate(key(budgetId, productId));
    }

    public boolean enables(String budgetId, String productId) {
        String key = key(budgetId, productId);
        return enabled.get(key, k -> pairs().find(Filters.and(Filters.eq("_id", k), Filters.eq("active", true)))
                .projection(new Document("_id", 1)).first() != null);
    }

    /** Keeps the copies of a product's name and status right when an admin changes them. */
    void productChanged(@Observes ProductChanged changed) {
        Product p = changed.product();
        pairs().updateMany(Filters.eq("productId", p.id.toHexString()),
                Updates.combine(Updates.set("name", p.name), Updates.set("active", p.isActive())));
        // A product's pairs may be in many budgets; product changes are rare admin actions.
        enabled.invalidateAll();
    }

    /**
     * One page of the budget's active products, ordered by function name. The index on (budgetId, active, name)
     * serves both the count and the sorted page, so only this budget's active pairs are read, never other budgets'.
     */
    public Page activePage(String budgetId, int page, int pageSize) {
        var filter = Filters.and(Filters.eq("budgetId", budgetId), Filters.eq("active", true));
        long total = pairs().countDocuments(filter);
        // In long: (page - 1) * pageSize wrapped around in int for a huge page and answered the first page.
        long skip = (long) (page - 1) * pageSize;
        if (skip >= total) {
            return new Page(List.of(), total);
        }
        List<String> ids = new ArrayList<>();
        pairs().find(filter).sort(Sorts.ascending("name")).skip((int) skip).limit(pageSize)
                .projection(new Document("productId", 1)).forEach(d -> ids.add(d.getString("productId")));
        return new Page(ids, total);
    }

    public List<String> all(String budgetId) {
        List<String> ids = new ArrayList<>();
        pairs().find(Filters.eq("budgetId", budgetId)).sort(Sorts.ascending("name"))
                .projection(new Document("productId", 1)).forEach(d -> ids.add(d.getString("productId")));
        return ids;
    }

    private MongoCollection<Document> pairs() {
        return mongo.getDatabase(database).getCollection(COLLECTION);
    }

    private static String key(String budgetId, String productId) {
        return budgetId + ":" + productId;
    }
}
