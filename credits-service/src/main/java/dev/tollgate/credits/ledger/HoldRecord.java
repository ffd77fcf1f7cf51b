package dev.tollgate.credits.ledger;

import java.time.Instant;

/**
 * What the ledger remembers about a hold once it is settled, so that repeating a call with the same key answers the
 * original outcome. {@code reason} says why a hold was released or refused ({@code requested}, {@code expired},
 * {@code insufficient_credits}).
 */
public record HoldRecord(
        String id,
        String userId,
        HoldState state,
        long amount,
        Instant createdAt,
        Instant expiresAt,
        Instant settledAt,
        String reason,
        String transactionId) {
}
