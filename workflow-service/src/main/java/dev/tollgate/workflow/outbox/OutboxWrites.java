package dev.tollgate.workflow.outbox;

import java.util.List;

import com.mongodb.client.model.Updates;
import org.bson.conversions.Bson;

/**
 * How a state change adds events to a run's outbox. The events and the {@value #PENDING} flag are set in the same
 * update, so a run with events waiting always carries the flag, and the relay's sweep finds such runs through the
 * sparse index on it instead of testing every run ever written for a non-empty array (no index serves
 * {@code pendingEvents.0 $exists}). Only the relay clears the flag, and only while the array is empty.
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

    /** The update part that appends {@code events}, in order, to the run's outbox. */
    public static Bson append(List<PendingEvent> events) {
        return Updates.combine(Updates.pushEach(EVENTS, events), Updates.set(PENDING, true));
    }
}
