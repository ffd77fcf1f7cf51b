package dev.tollgate.credits.http;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * One injectable clock, ticking in milliseconds: MongoDB stores dates to the millisecond, so decisions made with a
 * finer "now" could disagree with what is read back.
 */
public class SystemClock {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
    }
}
