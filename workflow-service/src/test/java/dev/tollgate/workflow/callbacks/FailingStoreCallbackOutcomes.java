package dev.tollgate.workflow.callbacks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;
import dev.tollgate.workflow.runs.RunRepository;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * Folding as in production, except that the store "goes away" for chosen runs: their first folds fail with the
 * exception the driver throws when the store process is killed mid-read. Enabled only by the test profiles that
 * list it ({@code getEnabledAlternatives}). A singleton: its constructor takes what the production bean's does,
 * so no client proxy (which needs a constructor without arguments) stands in front of it.
 */
@Alternative
@Singleton
public class FailingStoreCallbackOutcomes extends CallbackOutcomes {

    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    public FailingStoreCallbackOutcomes(RunRepository runs) {
        super(runs);
    }

    /** The next {@code times} folds of {@code runId}'s outcomes fail as if the store were down. */
    public void failNextFolds(String runId, int times) {
        failuresLeft.put(runId, new AtomicInteger(times));
    }

    /** How often folding an outcome of {@code runId} was attempted, failures included. */
    public int attempts(String runId) {
        AtomicInteger n = attempts.get(runId);
        return n == null ? 0 : n.get();
    }

    @Override
    public int foldAll(List<CallbackOutcome> batch) {
        boolean fail = false;
        for (CallbackOutcome o : batch) {
            attempts.computeIfAbsent(o.runId(), id -> new AtomicInteger()).incrementAndGet();
            AtomicInteger left = failuresLeft.get(o.runId());
            fail |= left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        }
        if (fail) {
            throw new MongoSocketReadException("Prematurely reached end of stream", new ServerAddress("127.0.0.1"));
        }
        return super.foldAll(batch);
    }
}
