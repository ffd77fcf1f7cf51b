package dev.tollgate.credits.ledger;

/** Where a hold is in its life. Only HELD can change; the others are final outcomes. */
public enum HoldState {
    HELD, CAPTURED, RELEASED, REFUSED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
