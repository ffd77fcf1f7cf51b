package dev.tollgate.workflow.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Run requests read ahead of the worker's slots, one first-in-first-out queue per budget, handed out round robin across
 * the budgets that have some waiting and are below their concurrency limit. A budget that floods the queue gets one
 * turn in every round like any other, so another budget's request waits for at most one run of each busy budget, not
 * for the flood to drain; a budget at its limit is skipped until one of its runs ends. Thread-safe: the consumer's
 * thread adds and takes, the slots' threads report ends.
 *
 * @param <T> a waiting request
 */
final class FairRunQueue<T> {

    /** A request handed out: run it, then call {@link #ended} with its budget. */
    record Taken<T>(String budget, T request) {
    }

    private final Map<String, ArrayDeque<T>> waiting = new HashMap<>();
    /** Budgets with requests waiting, in the order of their next turn. */
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    private final Map<String, Integer> running = new HashMap<>();
    /** Each budget's limit on runs at once (0: none), as its latest request said. */
    private final Map<String, Integer> limits = new HashMap<>();
    private int size;

    /** Adds a request of {@code budget}, whose limit is now {@code limit} (0: none; it applies to all its requests). */
    synchronized void add(String budget, int limit, T request) {
        limits.put(budget, limit);
        ArrayDeque<T> queue = waiting.computeIfAbsent(budget, b -> new ArrayDeque<>());
        if (queue.isEmpty()) {
            turns.addLast(budget);
        }
        queue.addLast(request);
        size++;
    }

    /** The next request of the next budget in turn that is below its limit; empty when every waiting budget is at it. */
    synchronized Optional<Taken<T>> next() {
        for (int checked = turns.size(); checked > 0; checked--) {
            String budget = turns.pollFirst();
            int limit = limits.getOrDefault(budget, 0);
            if (limit > 0 && running.getOrDefault(budget, 0) >= limit) {
                turns.addLast(budget);
                continue;
            }
            ArrayDeque<T> queue = waiting.get(budget);
            T request = queue.pollFirst();
            size--;
            if (queue.isEmpty()) {
                waiting.remove(budget);
            } else {
                turns.addLast(budget);
            }
            running.merge(budget, 1, Integer::sum);
            return Optional.of(new Taken<>(budget, request));
        }
        return Optional.empty();
    }

    /** A run {@link #next} handed out has ended (or was never started): its budget may start another. */
    synchronized void ended(String budget) {
        running.computeIfPresent(budget, (b, n) -> n <= 1 ? null : n - 1);
        if (!running.containsKey(budget) && !waiting.containsKey(budget)) {
            limits.remove(budget); // nothing of it here any more: the map stays as small as the work
        }
    }

    /** Removes the waiting requests {@code gone} matches (their partitions went to another worker); returns them. */
    synchronized List<T> removeIf(Predicate<T> gone) {
        List<T> removed = new ArrayList<>();
        for (Iterator<Map.Entry<String, ArrayDeque<T>>> it = waiting.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, ArrayDeque<T>> entry = it.next();
            entry.getValue().removeIf(request -> {
                if (gone.test(request)) {
                    removed.add(request);
                    return true;
                }
                return false;
            });
            if (entry.getValue().isEmpty()) {
                turns.remove(entry.getKey());
                it.remove();
            }
        }
        size -= removed.size();
        return removed;
    }

    synchronized int size() {
        return size;
    }

    synchronized int running(String budget) {
        return running.getOrDefault(budget, 0);
    }
}
