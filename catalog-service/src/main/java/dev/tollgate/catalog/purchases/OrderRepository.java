package dev.tollgate.catalog.purchases;

import java.time.Instant;
import java.util.List;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.conversions.Bson;

/**
 * Orders ({@code orders}), keyed by order id. State changes are conditional writes, so a purchase in flight and the
 * recovery sweep never both move the same order; the index on (state, updatedAt) serves the sweep.
 */
@ApplicationScoped
public class OrderRepository implements PanacheMongoRepositoryBase<Order, String> {

    /**
     * One conditional write: the order moves from {@code from} to {@code to} (its {@code updatedAt} now), with
     * {@code alsoSet} in the same update. Whether it applied: not if another process (the recovery sweep) moved the
     * order first.
     */
    public boolean transition(String orderId, OrderState from, OrderState to, Instant at, Bson alsoSet) {
        return mongoCollection().updateOne(Filters.and(Filters.eq("_id", orderId), Filters.eq("state", from.name())),
                Updates.combine(Updates.set("state", to.name()), Updates.set("updatedAt", at), alsoSet))
                .getModifiedCount() == 1;
    }

    /** Unsettled orders last touched before {@code cutoff}, oldest first, so that none waits behind newer ones. */
    public List<Order> unsettledBefore(Instant cutoff, int limit) {
        return find("{state: {$in: ['PENDING', 'HELD']}, updatedAt: {$lt: ?1}}", Sort.ascending("updatedAt"), cutoff)
                .page(0, limit).list();
    }
}
