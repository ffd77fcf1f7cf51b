package dev.tollgate.credits.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One grant inside a user's account: what was given and what is left of it. {@code remaining} already excludes
 * credit that open holds took from it. {@code expired} records that the expiration transaction was written;
 * {@code revocationKeys} the idempotency keys of the revocations applied to it.
 */
public record GrantState(
        String id,
        String idempotencyKey,
        long amount,
        long remaining,
        String creditType,
        Map<String, Object> sourceMetadata,
        Instant createdAt,
        Instant pooledAt,
        Instant expiresAt,
        boolean expired,
        List<String> revocationKeys) {

    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    /** Usable now: not expired and not empty. */
    public boolean isSpendableAt(Instant now) {
        return remaining > 0 && !isExpiredAt(now);
    }

    GrantState withRemaining(long newRemaining) {
        return new GrantState(id, idempotencyKey, amount, newRemaining, creditType, sourceMetadata, createdAt, pooledAt,
                expiresAt, expired, revocationKeys);
    }

    GrantState markedExpired() {
        return new GrantState(id, idempotencyKey, amount, 0, creditType, sourceMetadata, createdAt, pooledAt, expiresAt,
                true, revocationKeys);
    }

    GrantState revokedBy(String key, long credits) {
        var keys = new ArrayList<>(revocationKeys);
        keys.add(key);
        return new GrantState(id, idempotencyKey, amount, remaining - credits, creditType, sourceMetadata, createdAt,
                pooledAt, expiresAt, expired, List.copyOf(keys));
    }
}
