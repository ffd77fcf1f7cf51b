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

    @Inject
    public DeliveryTiming(CallbackConfig config) {
        this.schedule = new RetrySchedule(config.retry().schedule(), config.retry().jitter(),
                config.retry().maxRetryAfter(), () -> ThreadLocalRandom.current().nextDouble());
        if (config.dispatch().lease().compareTo(config.http().totalTimeout()) <= 0) {
            throw new IllegalArgumentException("tollgate.callbacks.dispatch.lease must exceed the total timeout");
        }
        this.lease = config.dispatch().lease();
    }

    public RetrySchedule schedule() {
        return schedule;
    }

    public Duration lease() {
        return lease;
    }
}
