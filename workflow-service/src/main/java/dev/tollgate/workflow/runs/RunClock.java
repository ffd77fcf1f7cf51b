package dev.tollgate.workflow.runs;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * "Now" for run timestamps, to the millisecond: MongoDB keeps milliseconds, and a run's JSON must be the same
 * whether it comes from memory (trigger answers, lifecycle events, callbacks) or from the store (status polls).
 */
public final class RunClock {

    private RunClock() {
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
