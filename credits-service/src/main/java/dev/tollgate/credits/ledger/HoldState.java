package dev.tollgate.credits.ledger;

import java.util.Locale;

/** Where a hold is in its life. Only HELD can change; the others are final outcomes. */
public enum HoldState {
    HELD, CAPTURED, RELEASED, REFUSED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
