package dev.tollgate.localstack.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The first thing seen per run id (a callback's arrival, a run's terminal event), filled by another thread, and a
 * bounded wait for a set of runs. Later sightings of the same run are counted, not kept.
 */
final class FirstSeen<V> {

    private final Map<String, V> first = new ConcurrentHashMap<>();

    /** True if this is the run's first sighting. */
    boolean record(String runId, V value) {
        return first.putIfAbsent(runId, value) == null;
    }

    /** Waits until every run was seen or {@code timeout} passed; returns what was seen of them. */
    Map<String, V> await(Collection<String> runIds, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!first.keySet().containsAll(runIds) && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling a map filled by another thread: there is no single event to await
        }
        Map<String, V> seen = new HashMap<>();
        for (String id : runIds) {
            V value = first.get(id);
            if (value != null) {
                seen.put(id, value);
            }
        }
        return seen;
    }
}
