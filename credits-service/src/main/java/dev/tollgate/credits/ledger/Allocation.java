package dev.tollgate.credits.ledger;

/** Credits a hold took from one grant; a release gives exactly these back. */
public record Allocation(String grantId, long credits) {
}
