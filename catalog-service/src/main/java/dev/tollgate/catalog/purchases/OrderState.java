package dev.tollgate.catalog.purchases;

/**
 * Where a purchase got to, stored by name. PENDING (recorded; credit may be held, the tool may be running) → HELD
 * (credit held and the tool's answer recorded, in one write) → SUCCEEDED (captured: charged) or FAILED (released: not
 * charged). Orders written by earlier versions may be HELD without an answer; they are recovered like PENDING ones.
 */
public enum OrderState {
    PENDING, HELD, SUCCEEDED, FAILED;

    /** Not settled yet: what the recovery sweep looks at. */
    public boolean unsettled() {
        return this == PENDING || this == HELD;
    }
}
