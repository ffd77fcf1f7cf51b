package dev.tollgate.catalog.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.tollgate.platform.store.IndexBootstrap;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The catalog's indexes, including the unique ones that make slugs, function names and API key hashes unique. Every
 * query the service runs is served by one of them or by {@code _id} (the README lists which serves which), so a
 * request or sweep reads only the documents of the budget, scope or order state it asks about, however much history
 * the collections hold. Created at start; a store that is down then does not stop the service (readiness says so),
 * and creation is retried ({@link IndexBootstrap}).
 */
@ApplicationScoped
public class CatalogIndexes {

    private final MongoClient mongo;
    private final String database;
    private final IndexBootstrap bootstrap = new IndexBootstrap("catalog", this::create);

    @Inject
    public CatalogIndexes(MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        this.mongo = mongo;
        this.database = database;
    }

    void atStart(@Observes StartupEvent start) {
        bootstrap.start();
    }

    void atStop(@Observes ShutdownEvent stop) {
        bootstrap.stop();
    }

    private void create() {
        MongoDatabase db = mongo.getDatabase(database);
        IndexOptions unique = new IndexOptions().unique(true);
        // Product references: lookup by slug, then by exact name (purchase, issue reports, internal lookups).
        db.getCollection("products").createIndex(Indexes.ascending("slug"), unique);
        db.getCollection("products").createIndex(Indexes.ascending("name"), unique);
        // The admin catalog filtered by status, in name order.
        db.getCollection("products").createIndex(Indexes.ascending("status", "name"));
        // Token exchange: {hash, revokedAt: null} is equality on the whole unique key plus a filter.
        db.getCollection("api_keys").createIndex(Indexes.ascending("hash"), unique);
        // A budget's keys, listed by its owner or an admin (and revoked by id within the budget).
        db.getCollection("api_keys").createIndex(Indexes.ascending("budgetId"));
        // /products/fetch: count and page of one budget's active pairs in name order, however many other
        // budgets and retired pairs there are.
        db.getCollection("budget_products").createIndex(Indexes.ascending("budgetId", "active", "name"));
        // The budget view lists all of a budget's pairs, active or not, in name order.
        db.getCollection("budget_products").createIndex(Indexes.ascending("budgetId", "name"));
        // An admin renaming or retiring a product updates its copies in every budget.
        db.getCollection("budget_products").createIndex(Indexes.ascending("productId"));
        // The recovery sweep: {state: {$in: [PENDING, HELD]}, updatedAt: {$lt: cutoff}}; settled orders, the
        // whole history, sit under other state values and are never read.
        db.getCollection("orders").createIndex(Indexes.ascending("state", "updatedAt"));
        // kv_memory: the keys of one scope, counted and listed in key order.
        db.getCollection("memory").createIndex(Indexes.ascending("scope", "key"));
        // Sparse: only open requests carry openKey, so approved ones never block a new request, and the
        // workflow authorization's lookup by openKey never meets the approved history.
        db.getCollection("approval_requests").createIndex(Indexes.ascending("openKey"),
                new IndexOptions().unique(true).sparse(true));
        // A budget's requests, newest first (status, when given, is filtered among that budget's own).
        db.getCollection("approval_requests").createIndex(Indexes.compoundIndex(
                Indexes.ascending("budgetId"), Indexes.descending("createdAt")));
        // Issue triage, newest first: unfiltered, by status, by product, by product and status.
        MongoCollection<Document> issues = db.getCollection("issue_reports");
        issues.createIndex(Indexes.descending("createdAt"));
        issues.createIndex(Indexes.compoundIndex(Indexes.ascending("status"), Indexes.descending("createdAt")));
        issues.createIndex(Indexes.compoundIndex(Indexes.ascending("productReference"),
                Indexes.descending("createdAt")));
        issues.createIndex(Indexes.compoundIndex(Indexes.ascending("productReference", "status"),
                Indexes.descending("createdAt")));
    }
}
