package dev.tollgate.platform.admission;

import java.util.concurrent.Semaphore;

/**
 * A count of requests in flight with a ceiling. A request that would go past it is refused instead of queued: a
 * queue in front of a service that cannot keep up only turns its slowness into every caller's timeout. The places
 * are a {@link Semaphore}'s permits, taken without waiting.
 */
public final class InFlightLimit {

    private final int limit;
    private final Semaphore places;

    public InFlightLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("an in-flight limit must be at least 1, was " + limit);
        }
        this.limit = limit;
        this.places = new Semaphore(limit);
    }

    /** Takes a place; false (and nothing taken) if {@code limit} requests are in flight already. */
    public boolean tryAcquire() {
        return places.tryAcquire();
    }

    /** Gives back a place taken by {@link #tryAcquire()}; call exactly once per place taken. */
    public void release() {
        places.release();
    }

    public int inFlight() {
        return limit - places.availablePermits();
    }
}
