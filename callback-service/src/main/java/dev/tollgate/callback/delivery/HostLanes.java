package dev.tollgate.callback.delivery;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * One lane per receiver ({@code scheme://host:port}): at most {@code perHost} attempts run at once in a lane, the
 * rest wait in it, in order. A receiver that hangs until the timeout fills only its own lane, so deliveries to
 * everyone else go on at full speed (no head-of-line blocking). A run is in at most one lane slot at a time.
 *
 * <p>An entry may carry a job ({@code J}: what the attempt already has, such as the delivery claimed by this process
 * or a first attempt made before its delivery is stored); the others only name the run.
 */
final class HostLanes<J> {

    /** What to do once a run has a slot; {@code job} is null when the entry only named the run. */
    @FunctionalInterface
    interface Attempt<J> {
        void run(String lane, String runId, J job);
    }

    private record Entry<J>(String runId, J job) {
    }

    private static final class Lane<J> {
        int active;
        final ArrayDeque<Entry<J>> waiting = new ArrayDeque<>();
    }

    private final int perHost;
    private final int capacity;
    private final Executor executor;
    private final Attempt<J> attempt;
    private final Map<String, Lane<J>> lanes = new HashMap<>();
    private final Map<String, String> queued = new HashMap<>();

    /**
     * @param capacity deliveries that may wait in one lane; more are refused (they stay due in the store)
     * @param attempt what to do with a run once it has a slot
     */
    HostLanes(int perHost, int capacity, Executor executor, Attempt<J> attempt) {
        this.perHost = perHost;
        this.capacity = capacity;
        this.executor = executor;
        this.attempt = attempt;
    }

    /** Queues an attempt for {@code runId}; false if it is already queued or running here, or the lane is full. */
    boolean offer(String lane, String runId) {
        return offer(lane, runId, null);
    }

    /** Like {@link #offer(String, String)}, with what the attempt needs beyond the run's id. */
    synchronized boolean offer(String lane, String runId, J job) {
        if (queued.containsKey(runId)) {
            return false;
        }
        Lane<J> l = lanes.computeIfAbsent(lane, k -> new Lane<>());
        if (l.active < perHost) {
            l.active++;
            queued.put(runId, lane);
            start(lane, new Entry<>(runId, job));
            return true;
        }
        if (l.waiting.size() >= capacity) {
            return false;
        }
        queued.put(runId, lane);
        l.waiting.add(new Entry<>(runId, job));
        return true;
    }

    /** Whether the run is waiting or being attempted here (the due poll leaves those alone). */
    synchronized boolean holds(String runId) {
        return queued.containsKey(runId);
    }

    /** How many more runs the lane would take now (slots free plus room to wait). */
    synchronized int room(String lane) {
        Lane<J> l = lanes.get(lane);
        return l == null ? perHost + capacity : perHost - l.active + capacity - l.waiting.size();
    }

    synchronized int inFlight(String lane) {
        Lane<J> l = lanes.get(lane);
        return l == null ? 0 : l.active;
    }

    private void start(String lane, Entry<J> entry) {
        executor.execute(() -> {
            try {
                attempt.run(lane, entry.runId(), entry.job());
            } finally {
                finished(lane, entry.runId());
            }
        });
    }

    private synchronized void finished(String lane, String runId) {
        queued.remove(runId);
        Lane<J> l = lanes.get(lane);
        Entry<J> next = l.waiting.poll();
        if (next != null) {
            start(lane, next);
        } else if (--l.active == 0) {
            lanes.remove(lane);
        }
    }
}
