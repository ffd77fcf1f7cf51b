package dev.tollgate.workflow.worker;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;
import dev.tollgate.workflow.runs.Run;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import org.bson.types.ObjectId;

/**
 * A worker's store writes as in production, with two handles on the write of a run's end, the store call every
 * execution makes after its claim (a one-step run makes no other): make it fail once for a run, as when the store
 * process is killed mid-run (the execution then ends with that exception, after its claim), or hold it until the
 * test lets go (a run that is still being executed). Enabled only by the test profiles that list it
 * ({@code getEnabledAlternatives}).
 */
@Alternative
@ApplicationScoped
public class StoreFailingRunClaims extends RunClaims {

    private final Set<ObjectId> failOnce = ConcurrentHashMap.newKeySet();
    private final Map<ObjectId, CountDownLatch> held = new ConcurrentHashMap<>();

    /** The next write of {@code runId}'s end fails as if the store were down. */
    public void failNextFinish(ObjectId runId) {
        failOnce.add(runId);
    }

    /** Writes of {@code runId}'s end wait until {@link #release} is called. */
    public void holdFinish(ObjectId runId) {
        held.put(runId, new CountDownLatch(1));
    }

    public void release(ObjectId runId) {
        CountDownLatch latch = held.remove(runId);
        if (latch != null) {
            latch.countDown();
        }
    }

    @Override
    public boolean finish(Run run, String worker, String eventType, Instant seenUpdatedAt) {
        ObjectId runId = run.id;
        if (failOnce.remove(runId)) {
            throw new MongoSocketReadException("Prematurely reached end of stream", new ServerAddress("127.0.0.1"));
        }
        CountDownLatch latch = held.get(runId);
        if (latch != null) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return super.finish(run, worker, eventType, seenUpdatedAt);
    }
}
