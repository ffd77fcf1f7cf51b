package dev.tollgate.catalog.purchases;

import java.time.Instant;

import dev.tollgate.catalog.config.CatalogConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Settles orders a crash interrupted (process killed between hold and capture): charged if the tool's answer was
 * recorded, released otherwise. credits-service's hold TTL is the last line behind this one.
 */
@ApplicationScoped
public class OrderRecoverySweep {

    private static final Logger LOG = Logger.getLogger(OrderRecoverySweep.class);

    private final PurchaseService purchases;
    private final OrderRepository orders;
    private final CatalogConfig config;

    public OrderRecoverySweep(PurchaseService purchases, OrderRepository orders, CatalogConfig config) {
        this.purchases = purchases;
        this.orders = orders;
        this.config = config;
    }

    @Scheduled(every = "${tollgate.catalog.purchases.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        for (Order order : orders.unsettledBefore(Instant.now().minus(config.purchases().recoverAfter()), 200)) {
            try {
                purchases.recover(order);
                LOG.infof("recovered interrupted order %s", order.id);
            } catch (RuntimeException e) {
                LOG.warnf("recovering order %s failed, will retry: %s", order.id, e.getMessage());
            }
        }
    }
}
