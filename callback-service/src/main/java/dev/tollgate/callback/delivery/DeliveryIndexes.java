package dev.tollgate.callback.delivery;

import java.util.Date;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import dev.tollgate.platform.store.IndexBootstrap;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * The indexes every query of {@link DeliveryRepository} reads by (the README lists them with their queries), so
 * production MongoDB and the embedded store alike read only what a query needs, however many deliveries ended long
 * ago. Everything else is found by {@code _id}. Created at start; a store that is down then does not stop the service
 * (readiness says so), and creation is retried ({@link IndexBootstrap}).
 */
@ApplicationScoped
public class DeliveryIndexes {

    private static final Logger LOG = Logger.getLogger(DeliveryIndexes.class);

    /** One document per data upgrade that has run on this database, so none runs twice. */
    static final String UPGRADES = "schema_upgrades";
    static final String RELAY_PENDING_UPGRADE = "deliveries.relayPending";

    private final DeliveryRepository deliveries;
    private final IndexBootstrap bootstrap = new IndexBootstrap("deliveries", this::create);

    @Inject
    public DeliveryIndexes(DeliveryRepository deliveries) {
        this.deliveries = deliveries;
    }

    void atStart(@Observes StartupEvent start) {
        bootstrap.start();
    }

    void atStop(@Observes ShutdownEvent stop) {
        bootstrap.stop();
    }

    private void create() {
        MongoCollection<Delivery> collection = deliveries.mongoCollection();
        // The due poll: status = PENDING, nextAttemptAt <= now, in nextAttemptAt order.
        collection.createIndex(Indexes.ascending("status", "nextAttemptAt"));
        // The admin list, newest first: all deliveries, and one status.
        collection.createIndex(Indexes.descending("createdAt"));
        collection.createIndex(Indexes.compoundIndex(Indexes.ascending("status"), Indexes.descending("createdAt")));
        // The outbox sweep: only deliveries whose outcomes still wait carry the field.
        collection.createIndex(Indexes.ascending(DeliveryRepository.RELAY_PENDING), new IndexOptions().sparse(true));
        markUnrelayedOutcomesOfEarlierVersions();
    }

    /**
     * Versions before the {@link DeliveryRepository#RELAY_PENDING} mark left outcomes in {@code pendingOutcomes}
     * without it, and the sweep would never find them. Marks those once per database: a full scan, but only the
     * first time a database written by such a version is opened.
     */
    private void markUnrelayedOutcomesOfEarlierVersions() {
        MongoCollection<Document> upgrades = deliveries.mongoDatabase().getCollection(UPGRADES);
        if (upgrades.find(Filters.eq("_id", RELAY_PENDING_UPGRADE)).first() != null) {
            return;
        }
        long marked = deliveries.mongoCollection().updateMany(
                Filters.and(Filters.exists("pendingOutcomes.0"), Filters.exists(DeliveryRepository.RELAY_PENDING, false)),
                Updates.set(DeliveryRepository.RELAY_PENDING, true)).getModifiedCount();
        upgrades.replaceOne(Filters.eq("_id", RELAY_PENDING_UPGRADE),
                new Document("_id", RELAY_PENDING_UPGRADE).append("doneAt", new Date()).append("marked", marked),
                new ReplaceOptions().upsert(true));
        if (marked > 0) {
            LOG.infof("marked %d deliveries with unpublished outcomes for the outbox sweep", marked);
        }
    }
}
