package dev.tollgate.credits.ledger;

/** The contract's {@code transaction_type} values. */
public enum TransactionType {
    GRANT, EXPIRATION, REVOCATION, PURCHASE;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static TransactionType fromWire(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
