package dev.tollgate.callback.delivery;

import com.mongodb.MongoException;
import com.mongodb.client.model.Indexes;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The index the due-delivery poll reads by. Created at start; a store that is down then does not stop the service
 * (readiness says so), and creation is retried.
 */
@ApplicationScoped
public class DeliveryIndexes {

    private static final Logger LOG = Logger.getLogger(DeliveryIndexes.class);

    @Inject
    DeliveryRepository deliveries;

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
            deliveries.mongoCollection().createIndex(Indexes.ascending("status", "nextAttemptAt"));
            deliveries.mongoCollection().createIndex(Indexes.descending("createdAt"));
            created = true;
        } catch (MongoException e) {
            LOG.warnf("creating indexes failed (%s); retrying in 10 s", e.getMessage());
        }
    }
}
