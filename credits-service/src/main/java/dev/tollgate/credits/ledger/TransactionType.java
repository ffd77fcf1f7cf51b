package dev.tollgate.credits.ledger;

import java.util.Locale;

/** The contract's {@code transaction_type} values. */
public enum TransactionType {
    GRANT, EXPIRATION, REVOCATION, PURCHASE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TransactionType fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
