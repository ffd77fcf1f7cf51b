package dev.tollgate.credits.ledger;

import java.time.Instant;

/**
 * One line of a user's history. {@code id} is derived from what caused it (the grant, hold or idempotency key), so
 * writing or publishing it twice is harmless. {@code sequence} orders a user's transactions without relying on
 * clocks; {@code balanceAfter} is the available balance right after it.
 */
public record LedgerTransaction(
        String id,
        String userId,
        TransactionType type,
        long amount,
        long balanceAfter,
        long sequence,
        Instant createdAt,
        String grantId,
        String holdId) {
}
