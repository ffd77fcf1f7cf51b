package dev.tollgate.callback.intake;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;
import dev.tollgate.callback.delivery.Delivery;
import dev.tollgate.callback.delivery.DeliveryRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * The deliveries' store as in production, except that it can be made unreachable: while it is, the intake's calls (the
 * read for deliveries made already, the batch's insert) fail with the exception the driver throws when the store
 * process is gone. Enabled only by the test profiles that list it ({@code getEnabledAlternatives}).
 */
@Alternative
@ApplicationScoped
public class UnreachableDeliveryStore extends DeliveryRepository {

    private volatile boolean unreachable;
    private final AtomicInteger failedCalls = new AtomicInteger();

    public void unreachable(boolean unreachable) {
        this.unreachable = unreachable;
    }

    /** How many of the intake's calls failed while the store was unreachable. */
    public int failedCalls() {
        return failedCalls.get();
    }

    @Override
    public Set<String> existing(List<String> runIds) {
        failIfUnreachable();
        return super.existing(runIds);
    }

    @Override
    public List<Delivery> createAll(List<Delivery> batch, boolean retried) {
        failIfUnreachable();
        return super.createAll(batch, retried);
    }

    private void failIfUnreachable() {
        if (unreachable) {
            failedCalls.incrementAndGet();
            throw new MongoSocketReadException("Prematurely reached end of stream", new ServerAddress("127.0.0.1"));
        }
    }
}
