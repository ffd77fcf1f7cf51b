package dev.tollgate.catalog.store;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The catalog's indexes, including the unique ones that make slugs, function names and API key hashes unique.
 * Created at start; a store that is down then does not stop the service (readiness says so), and creation is retried.
 */
@ApplicationScoped
public class CatalogIndexes {

    private static final Logger LOG = Logger.getLogger(CatalogIndexes.class);

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    private volatile boolean created;

    void atStart(@Observes StartupEvent start) {
        ensure();
    }

    @Scheduled(every = "10s", delayed = "10s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void ensure() {
        if (created) {
            return;
        }
        try {
            MongoDatabase db = mongo.getDatabase(database);
            IndexOptions unique = new IndexOptions().unique(true);
            db.getCollection("products").createIndex(Indexes.ascending("slug"), unique);
            db.getCollection("products").createIndex(Indexes.ascending("name"), unique);
            db.getCollection("api_keys").createIndex(Indexes.ascending("hash"), unique);
            db.getCollection("budgets").createIndex(Indexes.ascending("ownerUserId"));
            db.getCollection("budget_products").createIndex(Indexes.ascending("budgetId", "name"));
            db.getCollection("budget_products").createIndex(Indexes.ascending("productId"));
            db.getCollection("orders").createIndex(Indexes.ascending("state", "updatedAt"));
            db.getCollection("memory").createIndex(Indexes.ascending("scope"));
            // Sparse: only open requests carry openKey, so approved ones never block a new request.
            db.getCollection("approval_requests").createIndex(Indexes.ascending("openKey"),
                    new IndexOptions().unique(true).sparse(true));
            db.getCollection("approval_requests").createIndex(Indexes.ascending("budgetId"));
            created = true;
        } catch (MongoException e) {
            LOG.warnf("creating indexes failed (%s); retrying in 10 s", e.getMessage());
        }
    }
}
