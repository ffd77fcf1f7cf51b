package dev.tollgate.credits.balance;

import java.time.Duration;
import java.time.Instant;

import dev.tollgate.credits.ledger.Account;
import dev.tollgate.credits.ledger.GrantState;

/**
 * A user's spendable credit at one instant: expired grants count for nothing even before a sweep has recorded their
 * expiration, and credit on hold is already taken out, so the figure is exact at read time.
 *
 * @param nextExpiration when the soonest-expiring spendable credit expires; {@code null} when there is none
 */
public record Balance(long credits, Instant nextExpiration, Long expiresInDays) {

    public static Balance of(Account account, Instant now) {
        long credits = account.available(now);
        if (credits == 0) {
            return new Balance(0, null, null);
        }
        Instant next = account.grants().stream()
                .filter(g -> g.isSpendableAt(now) && g.expiresAt() != null)
                .map(GrantState::expiresAt)
                .min(Instant::compareTo)
                .orElse(null);
        return new Balance(credits, next, next == null ? null : Duration.between(now, next).toDays());
    }
}
