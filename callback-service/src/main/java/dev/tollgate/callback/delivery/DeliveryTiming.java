package dev.tollgate.callback.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.tollgate.callback.config.CallbackConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The configured {@link RetrySchedule}, built once, and how long an attempt's claim lasts. */
@ApplicationScoped
public class DeliveryTiming {

    private final RetrySchedule schedule;
    private final Duration lease;
    private final Duration postBy;

    @Inject
    public DeliveryTiming(CallbackConfig config) {
        this.schedule = new RetrySchedule(config.retry().schedule(), config.retry().jitter(),
                config.retry().maxRetryAfter(), () -> ThreadLocalRandom.current().nextDouble());
        if (config.dispatch().lease().compareTo(config.http().totalTimeout()) <= 0) {
            throw new IllegalArgumentException("tollgate.callbacks.dispatch.lease must exceed the total timeout");
        }
        this.lease = config.dispatch().lease();
        Duration totalTimeout = config.http().totalTimeout();
        this.postBy = totalTimeout.plus(lease.minus(totalTimeout).dividedBy(2));
    }

    public RetrySchedule schedule() {
        return schedule;
    }

    public Duration lease() {
        return lease;
    }

    /**
     * What must be left of a claim for an attempt to post under it without renewing it: the whole attempt, plus half
     * the claim's margin over it for what comes before the POST (the signing secret, a busy machine). A claim taken
     * in advance (at intake, or by the due poll) with less left is renewed first.
     */
    public Duration postBy() {
        return postBy;
    }
}
