package dev.tollgate.credits.balance;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;

import dev.tollgate.credits.grants.Grant;

/**
 * A user's spendable credit at one instant: expired grants count for nothing even before a sweep has recorded their
 * expiration, so the figure is exact at read time.
 *
 * @param nextExpiration when the soonest-expiring credit still held expires; {@code null} when nothing is held or
 *                       nothing held expires
 */
public record Balance(long credits, Instant nextExpiration, Long expiresInDays) {

    public static Balance of(Collection<Grant> grants, Instant now) {
        long credits = 0;
        Instant next = null;
        for (Grant g : grants) {
            if (g.remainingCredits <= 0 || g.isExpiredAt(now)) {
                continue;
            }
            credits += g.remainingCredits;
            if (g.expiresAt != null && (next == null || g.expiresAt.isBefore(next))) {
                next = g.expiresAt;
            }
        }
        if (credits == 0) {
            return new Balance(0, null, null);
        }
        Long days = next == null ? null : Duration.between(now, Objects.requireNonNull(next)).toDays();
        return new Balance(credits, next, days);
    }
}
