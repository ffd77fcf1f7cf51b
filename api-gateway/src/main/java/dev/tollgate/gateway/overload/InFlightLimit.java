package dev.tollgate.gateway.overload;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A count of requests in flight with a ceiling. A request that would go past it is refused instead of queued: a
 * queue in front of a service that cannot keep up only turns its slowness into every caller's timeout.
 */
public final class InFlightLimit {

    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();

    public InFlightLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("an in-flight limit must be at least 1, was " + limit);
        }
        this.limit = limit;
    }

    /** Takes a place; false (and nothing taken) if {@code limit} requests are in flight already. */
    public boolean tryAcquire() {
        while (true) {
            int now = inFlight.get();
            if (now >= limit) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a place taken by {@link #tryAcquire()}; call exactly once per place taken. */
    public void release() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int limit() {
        return limit;
    }
}
