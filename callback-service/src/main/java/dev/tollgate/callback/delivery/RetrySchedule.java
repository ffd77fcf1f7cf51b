package dev.tollgate.callback.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When to try again. Pure: the decision depends only on the schedule, the attempt's result and a random draw.
 *
 * <ul>
 * <li>any 2xx: delivered;</li>
 * <li>410 Gone, or a URL that may not be called: failed at once (the receiver said stop, or we never may);</li>
 * <li>anything else (another status, no answer, timeout, a redirect, which is never followed): the next wait of
 * the schedule, jittered; a {@code Retry-After} may lengthen it (up to {@code maxRetryAfter}) but never shorten
 * it; after the schedule's last attempt, failed.</li>
 * </ul>
 */
public final class RetrySchedule {

    /** What follows an attempt: the delivery's status, and when the next attempt is due (null if none). */
    public record Decision(DeliveryStatus status, Instant nextAttemptAt) {
    }

    private final List<Duration> waits;
    private final double jitter;
    private final Duration maxRetryAfter;
    private final DoubleSupplier random;

    /**
     * @param waits the wait before each attempt (the first normally zero); its length is the number of attempts
     * @param random uniform draws in [0, 1)
     */
    public RetrySchedule(List<Duration> waits, double jitter, Duration maxRetryAfter, DoubleSupplier random) {
        if (waits.isEmpty()) {
            throw new IllegalArgumentException("the retry schedule needs at least one attempt");
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1)");
        }
        this.waits = List.copyOf(waits);
        this.jitter = jitter;
        this.maxRetryAfter = maxRetryAfter;
        this.random = random;
    }

    public int attempts() {
        return waits.size();
    }

    /** The first attempt of a new delivery (or a redelivery). */
    public Instant firstAttemptAt(Instant now) {
        return now.plus(jittered(waits.getFirst()));
    }

    /**
     * @param attemptsInRound attempts made so far in this round, the one just finished included (1 after the first)
     */
    public Decision after(int attemptsInRound, PostResult result, Instant now) {
        if (result.success()) {
            return new Decision(DeliveryStatus.DELIVERED, null);
        }
        if (result.blocked() || Integer.valueOf(410).equals(result.httpStatus()) || attemptsInRound >= waits.size()) {
            return new Decision(DeliveryStatus.FAILED, null);
        }
        Duration wait = jittered(waits.get(attemptsInRound));
        if (result.retryAfter() != null) {
            Duration asked = result.retryAfter().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : result.retryAfter();
            wait = asked.compareTo(wait) > 0 ? asked : wait;
        }
        return new Decision(DeliveryStatus.PENDING, now.plus(wait));
    }

    private Duration jittered(Duration wait) {
        if (wait.isZero() || jitter == 0) {
            return wait;
        }
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.round(wait.toMillis() * factor));
    }

    /** {@code Retry-After} as delta-seconds or an HTTP date; empty when absent, unreadable or in the past. */
    public static Optional<Duration> parseRetryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return at.isAfter(now) ? Optional.of(Duration.between(now, at)) : Optional.empty();
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
