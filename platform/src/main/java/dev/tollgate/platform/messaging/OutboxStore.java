package dev.tollgate.platform.messaging;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What an {@link EventRelay} needs from a service's outbox: events of type {@code E} written, in the same update as
 * the state change they announce, into the document of their owner {@code K} (a run, a delivery), and a flag or mark
 * on that document while any wait, so that a sweep finds them through a sparse index.
 */
public interface OutboxStore<K, E> {

    /**
     * Sends one event to Kafka (see {@link KafkaSends}); the future completes when Kafka acknowledged it.
     * {@code republished}: the event was read back from the store (a sweep, a flush), so it may have reached Kafka
     * before; a store whose consumers need to know marks it with {@link KafkaSends#REPUBLISHED_HEADER}.
     */
    CompletableFuture<Void> send(K owner, E event, boolean republished);

    /**
     * Removes exactly the published events of every owner, with one bulk write (a second one only if an owner's list
     * changed meanwhile), never an event appended since; clears an owner's flag only once nothing waits. An owner
     * listed with no events only has its flag cleared if nothing waits (a relay stopped between the two). Returns
     * how many bulk writes it issued.
     */
    int removePublished(Map<K, List<E>> published);

    /** Owners flagged as having events waiting, at most {@code limit}, each with its events in stored order. */
    Map<K, List<E>> waitingForSweep(int limit);

    /** The event's id: stable across republications, so a sweep recognises the event it saw before. */
    Object eventId(E event);

    /**
     * Which of {@code owners}, found waiting by two sweeps, this process may publish now; every one unless several
     * processes sweep the same documents and must not interleave copies of an owner's events.
     */
    default List<K> claimForSweep(Collection<K> owners) {
        return List.copyOf(owners);
    }
}
