package dev.tollgate.workflow.worker;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which run requests a worker may commit: per partition, up to (not including) the first request not yet decided here
 * (decided: its run's unclaimed write applied, or its claim was written or refused; after that a claimed run's lease,
 * not its request, brings it back if the worker dies), or past the last one taken when none is. Committing a request
 * when it was handed to a slot lost it if the worker died before its run's write: another worker resumed the
 * partition after it, and the run waited a minute for the stuck-queued sweep. Slots decide out of order; the commit
 * never passes an undecided request. Taken and finished are called from any thread; committable and committed from
 * the consumer's.
 */
final class RequestOffsets {

    private final Map<TopicPartition, ConcurrentSkipListSet<Long>> executing = new ConcurrentHashMap<>();
    /** Per partition: the offset after the last request taken (or skipped). */
    private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();

    void taken(TopicPartition partition, long offset) {
        executing.computeIfAbsent(partition, p -> new ConcurrentSkipListSet<>()).add(offset);
        next.merge(partition, offset + 1, Math::max);
    }

    /** A record that is no request (not a run id): nothing executes for it. */
    void skipped(TopicPartition partition, long offset) {
        next.merge(partition, offset + 1, Math::max);
    }

    void finished(TopicPartition partition, long offset) {
        ConcurrentSkipListSet<Long> running = executing.get(partition);
        if (running != null) {
            running.remove(offset);
        }
    }

    /** The offsets to commit for {@code partitions}: only those that moved since the last commit. */
    Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
        for (TopicPartition p : partitions) {
            Long after = next.get(p);
            if (after == null) {
                continue;
            }
            ConcurrentSkipListSet<Long> running = executing.get(p);
            // One call, not isEmpty() then first(): a run thread may finish the last request in between, and
            // first() on an empty set throws (it once did, on the consumer's thread, and the worker exited).
            Long first = running == null ? null : running.ceiling(Long.MIN_VALUE);
            long upTo = first == null ? after : Math.min(first, after);
            if (upTo > committed.getOrDefault(p, -1L)) {
                due.put(p, new OffsetAndMetadata(upTo));
            }
        }
        return due;
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((p, o) -> committed.merge(p, o.offset(), Math::max));
    }

    /** Partitions given to another worker: what they were is no longer this worker's to commit. */
    void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition p : partitions) {
            next.remove(p);
            committed.remove(p);
            executing.remove(p);
        }
    }
}
