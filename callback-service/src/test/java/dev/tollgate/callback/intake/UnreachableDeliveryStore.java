package dev.tollgate.callback.intake;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;
import dev.tollgate.callback.delivery.DeliveryRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * The deliveries' store as in production, except that it can be made unreachable: while it is, the read that starts
 * every batch fails with the exception the driver throws when the store process is gone. Enabled only by the test
 * profiles that list it ({@code getEnabledAlternatives}).
 */
@Alternative
@ApplicationScoped
public class UnreachableDeliveryStore extends DeliveryRepository {

    private volatile boolean unreachable;
    private final AtomicInteger failedReads = new AtomicInteger();

    public void unreachable(boolean unreachable) {
        this.unreachable = unreachable;
    }

    /** How many batch-starting reads failed while the store was unreachable. */
    public int failedReads() {
        return failedReads.get();
    }

    @Override
    public Set<String> existing(List<String> runIds) {
        if (unreachable) {
            failedReads.incrementAndGet();
            throw new MongoSocketReadException("Prematurely reached end of stream", new ServerAddress("127.0.0.1"));
        }
        return super.existing(runIds);
    }
}
