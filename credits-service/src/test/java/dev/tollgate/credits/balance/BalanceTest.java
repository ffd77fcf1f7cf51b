package dev.tollgate.credits.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.tollgate.credits.grants.Grant;
import org.junit.jupiter.api.Test;

class BalanceTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void noCreditMeansNoExpiration() {
        Balance b = Balance.of(List.of(), NOW);
        assertEquals(0, b.credits());
        assertNull(b.nextExpiration());
        assertNull(b.expiresInDays());
    }

    @Test
    void expiredCreditIsNeverCountedEvenBeforeTheSweep() {
        Balance b = Balance.of(List.of(grant(500, NOW.minusSeconds(1)), grant(300, NOW.plus(Duration.ofDays(10)))), NOW);
        assertEquals(300, b.credits());
        assertEquals(NOW.plus(Duration.ofDays(10)), b.nextExpiration());
        assertEquals(10, b.expiresInDays());
    }

    @Test
    void theSoonestExpiryIsReportedAndNonExpiringCreditHasNone() {
        Balance b = Balance.of(List.of(grant(100, null), grant(50, NOW.plus(Duration.ofHours(36)))), NOW);
        assertEquals(150, b.credits());
        assertEquals(1, b.expiresInDays());
        assertNull(Balance.of(List.of(grant(100, null)), NOW).nextExpiration());
    }

    private static Grant grant(long remaining, Instant expiresAt) {
        Grant g = new Grant();
        g.amountCredits = remaining;
        g.remainingCredits = remaining;
        g.expiresAt = expiresAt;
        return g;
    }
}
