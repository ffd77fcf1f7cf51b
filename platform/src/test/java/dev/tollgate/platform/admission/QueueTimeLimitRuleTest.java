package dev.tollgate.platform.admission;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class QueueTimeLimitRuleTest {

    private static final long LIMIT = TimeUnit.MILLISECONDS.toNanos(500);
    private static final QueueTimeLimit.Rule RULE = new QueueTimeLimit.Rule(LIMIT, 4);

    @Test
    void aRequestThatQueuedBehindAFullPoolPastTheLimitIsRefused() {
        assertTrue(RULE.refuses(LIMIT + 1, 4));
        assertTrue(RULE.refuses(LIMIT * 3, 100));
    }

    @Test
    void withinTheLimitNothingIsRefused() {
        assertFalse(RULE.refuses(LIMIT, 100));
        assertFalse(RULE.refuses(0, 100));
    }

    @Test
    void aSlowStartWithAThreadFreeIsNotAQueue() {
        // A fresh process's first request: alone, yet over a second before its endpoint ran.
        assertFalse(RULE.refuses(TimeUnit.SECONDS.toNanos(2), 0));
        assertFalse(RULE.refuses(TimeUnit.SECONDS.toNanos(2), 3));
    }

    @Test
    void zeroTurnsTheLimitOff() {
        assertFalse(new QueueTimeLimit.Rule(0, 1).refuses(TimeUnit.SECONDS.toNanos(60), 1000));
    }
}
