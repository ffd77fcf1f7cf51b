package dev.tollgate.callback.delivery;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * One lane per receiver ({@code scheme://host:port}): at most {@code perHost} attempts run at once in a lane, the
 * rest wait in it, in order. A receiver that hangs until the timeout fills only its own lane, so deliveries to
 * everyone else go on at full speed (no head-of-line blocking). A run is in at most one lane slot at a time.
 */
final class HostLanes {

    private static final class Lane {
        int active;
        final ArrayDeque<String> waiting = new ArrayDeque<>();
    }

    private final int perHost;
    private final int capacity;
    private final Executor executor;
    private final BiConsumer<String, String> attempt;
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Set<String> queued = new HashSet<>();

    /**
     * @param capacity deliveries that may wait in one lane; more are refused (they stay due in the store)
     * @param attempt what to do with (lane, run id) once the run has a slot
     */
    HostLanes(int perHost, int capacity, Executor executor, BiConsumer<String, String> attempt) {
        this.perHost = perHost;
        this.capacity = capacity;
        this.executor = executor;
        this.attempt = attempt;
    }

    /** Queues an attempt for {@code runId}; false if it is already queued or running here, or the lane is full. */
    synchronized boolean offer(String lane, String runId) {
        if (queued.contains(runId)) {
            return false;
        }
        Lane l = lanes.computeIfAbsent(lane, k -> new Lane());
        if (l.active < perHost) {
            l.active++;
            queued.add(runId);
            start(lane, runId);
            return true;
        }
        if (l.waiting.size() >= capacity) {
            return false;
        }
        queued.add(runId);
        l.waiting.add(runId);
        return true;
    }

    synchronized int inFlight(String lane) {
        Lane l = lanes.get(lane);
        return l == null ? 0 : l.active;
    }

    private void start(String lane, String runId) {
        executor.execute(() -> {
            try {
                attempt.accept(lane, runId);
            } finally {
                finished(lane, runId);
            }
        });
    }

    private synchronized void finished(String lane, String runId) {
        queued.remove(runId);
        Lane l = lanes.get(lane);
        String next = l.waiting.poll();
        if (next != null) {
            start(lane, next);
        } else if (--l.active == 0) {
            lanes.remove(lane);
        }
    }
}
