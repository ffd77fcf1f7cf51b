package dev.tollgate.credits.ledger;

/**
 * An account change produced facts (transactions, settled holds) that now wait in the account's pending lists. Fired
 * right after the write, so the outbox copies them out at once rather than at its next sweep; the ledger names no
 * relay, so it does not depend on the package that publishes.
 */
public record FactsWritten(String userId) {
}
