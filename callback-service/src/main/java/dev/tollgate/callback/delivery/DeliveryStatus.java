package dev.tollgate.callback.delivery;

import java.util.Locale;

/** A delivery's state: {@code PENDING} until a 2xx ({@code DELIVERED}) or the last attempt ({@code FAILED}). */
public enum DeliveryStatus {
    PENDING, DELIVERED, FAILED;

    /** As the contract's {@code callback_status} spells it. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
