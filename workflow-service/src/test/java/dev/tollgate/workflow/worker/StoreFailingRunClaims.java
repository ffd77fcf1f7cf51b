package dev.tollgate.workflow.worker;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;
import dev.tollgate.workflow.outbox.OutboxRelay;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunEvents;
import dev.tollgate.workflow.runs.RunRepository;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import org.bson.types.ObjectId;

/**
 * A worker's store writes as in production, with handles on the write of a run's end, the store call every execution
 * makes after its claim (a one-step run makes no other): make it fail once for a run, as when the store process is
 * killed mid-run (the execution then ends with that exception, after its claim), or hold one attempt's until the test
 * lets go (a run that is still being executed); and make the hand-back of a failed attempt ({@code recover}) fail
 * once, as when the store is still down. Enabled only by the test profiles that list it
 * ({@code getEnabledAlternatives}). A singleton: its constructor takes what the production bean's does, so no
 * client proxy (which needs a constructor without arguments) stands in front of it.
 */
@Alternative
@Singleton
public class StoreFailingRunClaims extends RunClaims {

    private final Set<ObjectId> failOnce = ConcurrentHashMap.newKeySet();
    private final Set<ObjectId> failRecoverOnce = ConcurrentHashMap.newKeySet();
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();

    public StoreFailingRunClaims(RunRepository runs, RunEvents events, OutboxRelay relay, Clock clock) {
        super(runs, events, relay, clock);
    }

    /** The next write of {@code runId}'s end fails as if the store were down. */
    public void failNextFinish(ObjectId runId) {
        failOnce.add(runId);
    }

    /** The next hand-back of {@code runId} by {@code recover} fails as if the store were still down. */
    public void failNextRecover(ObjectId runId) {
        failRecoverOnce.add(runId);
    }

    /** The write of the end of {@code runId}'s attempt {@code attempt} waits until {@link #release} is called. */
    public void holdFinish(ObjectId runId, int attempt) {
        held.put(runId + "/" + attempt, new CountDownLatch(1));
    }

    /** Whether attempt {@code attempt} of {@code runId} is waiting in its held write. */
    public boolean waitingToFinish(ObjectId runId, int attempt) {
        return waiting.contains(runId + "/" + attempt);
    }

    public void release(ObjectId runId, int attempt) {
        CountDownLatch latch = held.remove(runId + "/" + attempt);
        if (latch != null) {
            latch.countDown();
        }
    }

    @Override
    public boolean recover(Run run, int maxAttempts) {
        if (failRecoverOnce.remove(run.id)) {
            throw new MongoSocketReadException("Prematurely reached end of stream", new ServerAddress("127.0.0.1"));
        }
        return super.recover(run, maxAttempts);
    }

    @Override
    public boolean finish(Run run, String worker, String eventType, Instant seenUpdatedAt) {
        ObjectId runId = run.id;
        if (failOnce.remove(runId)) {
            throw new MongoSocketReadException("Prematurely reached end of stream", new ServerAddress("127.0.0.1"));
        }
        String attempt = runId + "/" + run.attempts;
        CountDownLatch latch = held.get(attempt);
        if (latch != null) {
            waiting.add(attempt);
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.remove(attempt);
            }
        }
        return super.finish(run, worker, eventType, seenUpdatedAt);
    }
}
