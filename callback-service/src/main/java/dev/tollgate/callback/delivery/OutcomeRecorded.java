package dev.tollgate.callback.delivery;

/**
 * An attempt was recorded with its outcome event, which now waits in the delivery for the relay. Fired so the outcome
 * is published at once; the delivery package names no relay, so it does not depend on the package that publishes.
 */
public record OutcomeRecorded(String runId, PendingOutcome outcome) {
}
