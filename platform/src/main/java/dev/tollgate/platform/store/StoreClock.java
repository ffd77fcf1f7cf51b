package dev.tollgate.platform.store;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The one injectable {@link Clock} of every service, ticking in milliseconds: MongoDB stores dates to the millisecond,
 * so a finer "now" could disagree with what is read back (a hold's expiry decided in memory and then stored; a run's
 * JSON from memory in a trigger answer or callback and from the store in a status poll).
 */
public class StoreClock {

    /** The same clock, for code that is not a bean (and for tests). */
    public static final Clock MILLIS = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));

    @Produces
    @Singleton
    Clock clock() {
        return MILLIS;
    }
}
