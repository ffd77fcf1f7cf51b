package dev.tollgate.callback.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final List<Duration> DEFAULT = List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));

    static RetrySchedule noJitter() {
        return new RetrySchedule(DEFAULT, 0, Duration.ofHours(6), () -> 0.5);
    }

    static PostResult status(int code) {
        return PostResult.response(code, code / 100 == 2 ? null : "http_status", null, 10);
    }

    @Test
    void anyTwoHundredIsDelivered() {
        for (int code : new int[] { 200, 201, 202, 204, 299 }) {
            assertEquals(DeliveryStatus.DELIVERED, noJitter().after(1, status(code), NOW).status());
        }
    }

    @Test
    void failuresFollowTheScheduleThenFail() {
        RetrySchedule schedule = noJitter();
        assertEquals(NOW, schedule.firstAttemptAt(NOW), "the first attempt is immediate");
        for (int made = 1; made < DEFAULT.size(); made++) {
            RetrySchedule.Decision d = schedule.after(made, status(500), NOW);
            assertEquals(DeliveryStatus.PENDING, d.status());
            assertEquals(NOW.plus(DEFAULT.get(made)), d.nextAttemptAt(), "after attempt " + made);
        }
        RetrySchedule.Decision last = schedule.after(DEFAULT.size(), status(500), NOW);
        assertEquals(DeliveryStatus.FAILED, last.status());
        assertNull(last.nextAttemptAt());
    }

    @Test
    void noAnswerAndRedirectsAreRetriedGoneAndBlockedAreNot() {
        assertEquals(DeliveryStatus.PENDING, noJitter().after(1, PostResult.noResponse("timeout", 15000), NOW).status());
        assertEquals(DeliveryStatus.PENDING, noJitter().after(1, status(302), NOW).status());
        assertEquals(DeliveryStatus.FAILED, noJitter().after(1, status(410), NOW).status());
        assertEquals(DeliveryStatus.FAILED, noJitter().after(1, PostResult.blocked("blocked_address", 1), NOW).status());
    }

    @Test
    void jitterStaysWithinItsFraction() {
        RetrySchedule low = new RetrySchedule(DEFAULT, 0.2, Duration.ofHours(6), () -> 0.0);
        RetrySchedule high = new RetrySchedule(DEFAULT, 0.2, Duration.ofHours(6), () -> 0.999999);
        assertEquals(NOW.plusSeconds(240), low.after(2, status(500), NOW).nextAttemptAt());
        Duration highWait = Duration.between(NOW, high.after(2, status(500), NOW).nextAttemptAt());
        assertTrue(highWait.compareTo(Duration.ofSeconds(360)) <= 0 && highWait.compareTo(Duration.ofSeconds(359)) >= 0,
                highWait.toString());
    }

    @Test
    void retryAfterLengthensButNeverShortensAndIsBounded() {
        RetrySchedule schedule = noJitter();
        PostResult longer = PostResult.response(503, "busy", Duration.ofSeconds(60), 5);
        assertEquals(NOW.plusSeconds(60), schedule.after(1, longer, NOW).nextAttemptAt());
        PostResult shorter = PostResult.response(503, "busy", Duration.ofSeconds(1), 5);
        assertEquals(NOW.plusSeconds(5), schedule.after(1, shorter, NOW).nextAttemptAt());
        PostResult absurd = PostResult.response(429, "slow down", Duration.ofDays(30), 5);
        assertEquals(NOW.plus(Duration.ofHours(6)), schedule.after(1, absurd, NOW).nextAttemptAt());
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetrySchedule.parseRetryAfter("120", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(90)),
                RetrySchedule.parseRetryAfter("Mon, 23 Nov 2026 12:01:30 GMT", NOW));
        assertEquals(Optional.empty(), RetrySchedule.parseRetryAfter("Mon, 23 Nov 2026 11:00:00 GMT", NOW));
        assertEquals(Optional.empty(), RetrySchedule.parseRetryAfter("soon", NOW));
        assertEquals(Optional.empty(), RetrySchedule.parseRetryAfter("-5", NOW));
        assertEquals(Optional.empty(), RetrySchedule.parseRetryAfter(null, NOW));
    }

    @Test
    void aScheduleNeedsAnAttemptAndSaneJitter() {
        assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(List.of(), 0, Duration.ZERO, () -> 0));
        assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(DEFAULT, 1.5, Duration.ZERO, () -> 0));
    }
}
