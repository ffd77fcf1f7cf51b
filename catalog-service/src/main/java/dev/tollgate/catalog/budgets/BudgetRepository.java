package dev.tollgate.catalog.budgets;

import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.tollgate.catalog.config.CatalogConfig;
import io.quarkus.mongodb.panache.PanacheMongoRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

/**
 * Budget documents. Every purchase and every workflow authorization reads one, admins rarely change one: reads come
 * from a short-lived cache ({@code tollgate.catalog.caches.*}), and every write goes through this class, which
 * drops the cached copy right after writing. Another replica's write is seen here within the cache's TTL.
 *
 * <p>Cached budgets are shared between requests: callers read them and never change their fields.
 */
@ApplicationScoped
public class BudgetRepository implements PanacheMongoRepository<Budget> {

    private final Cache<ObjectId, Budget> recent;

    public BudgetRepository(CatalogConfig config) {
        recent = Caffeine.newBuilder().expireAfterWrite(config.caches().ttl())
                .maximumSize(config.caches().maxEntries()).build();
    }

    /**
     * The budget, from the cache when it was read within the TTL. A budget that does not exist is not cached, so
     * one created on another replica is found at once. The load runs inside the cache's per-key computation, so a
     * write's invalidation waits for a load in flight and never leaves the value read before the write behind.
     */
    public Optional<Budget> findByHexId(String id) {
        if (id == null || !ObjectId.isValid(id)) {
            return Optional.empty();
        }
        return Optional.ofNullable(recent.get(new ObjectId(id), this::findById));
    }

    public void create(Budget budget) {
        persist(budget);
        recent.invalidate(budget.id);
    }

    /** Adds the workflow unless the budget has it already (the one write of {@code workflowIds} additions). */
    public void addWorkflow(ObjectId budgetId, String workflowId) {
        mongoCollection().updateOne(Filters.eq("_id", budgetId), Updates.addToSet("workflowIds", workflowId));
        recent.invalidate(budgetId);
    }

    public void removeWorkflow(ObjectId budgetId, String workflowId) {
        mongoCollection().updateOne(Filters.eq("_id", budgetId), Updates.pull("workflowIds", workflowId));
        recent.invalidate(budgetId);
    }

    void setCredential(ObjectId budgetId, String key, Budget.StoredCredential stored) {
        mongoCollection().updateOne(Filters.eq("_id", budgetId), Updates.set("credentials." + key, stored));
        recent.invalidate(budgetId);
    }
}
