package dev.tollgate.workflow.outbox;

import java.util.List;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.conversions.Bson;

/**
 * How a state change adds events to a run's outbox. The events and the {@value #PENDING} flag are set in the same
 * update, so a run with events waiting always carries the flag, and the relay's sweep finds such runs through the
 * sparse index on it instead of testing every run ever written for a non-empty array (no index serves
 * {@code pendingEvents.0 $exists}). Only the relay clears the flag, and only while the array is empty.
 *
 * <p>One event waits unflagged: a new run's first {@code run.requested}. The relay publishes it right after the insert
 * and leaves it in the run; the write that takes the run out of the queue (a worker's claim, a cancellation)
 * {@linkplain #replaceRequests replaces} it with its own event, so a run costs no store write for removing its request.
 * The sweep never reads those runs (they are not flagged): a request the relay could not publish is retried from
 * memory, one left by a crashed api is published again by the api's first sweep after it starts, and the workers'
 * requeue of runs queued too long is the last resort.
 */
public final class OutboxWrites {

    /** The events waiting for the relay, in the order they were written. */
    public static final String EVENTS = "pendingEvents";

    /** {@code true} while {@link #EVENTS} may be non-empty; absent otherwise, so the sparse index holds only these runs. */
    public static final String PENDING = "outboxPending";

    private OutboxWrites() {
    }

    /** The update part that appends {@code event} to the run's outbox. */
    public static Bson append(PendingEvent event) {
        return append(List.of(event));
    }

    /**
     * The filter part that holds while the run's outbox has no lifecycle event waiting: only requests (published or
     * not, they are moot once the run leaves the queue), or nothing. A run's outbox holds no other kind of event.
     */
    public static Bson onlyRequestsWaiting() {
        return Filters.ne(EVENTS + ".topic", RunTopics.LIFECYCLE);
    }

    /**
     * The update part that replaces the run's outbox with {@code events}: for a write that takes a queued run out of
     * the queue, together with {@link #onlyRequestsWaiting()} in its filter (else it would drop lifecycle events).
     */
    public static Bson replaceRequests(List<PendingEvent> events) {
        return Updates.combine(Updates.set(EVENTS, events), Updates.set(PENDING, true));
    }

    /** Whether {@code events} (a run's outbox as read) may be replaced: {@link #onlyRequestsWaiting()} holds for it. */
    public static boolean onlyRequests(List<PendingEvent> events) {
        return events == null || events.stream().noneMatch(e -> RunTopics.LIFECYCLE.equals(e.topic));
    }

    /** The update part that appends {@code events}, in order, to the run's outbox. */
    public static Bson append(List<PendingEvent> events) {
        return Updates.combine(Updates.pushEach(EVENTS, events), Updates.set(PENDING, true));
    }
}
