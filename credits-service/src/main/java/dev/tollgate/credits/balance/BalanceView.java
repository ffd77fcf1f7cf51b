package dev.tollgate.credits.balance;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** {@code GET /credits/balance}'s {@code data}; {@code expiration} and {@code expires_in_days} are null when no credit expires. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BalanceView(long balance, String expiration, Long expiresInDays) {

    public static BalanceView of(Balance b) {
        return new BalanceView(b.credits(), b.nextExpiration() == null ? null : b.nextExpiration().toString(),
                b.expiresInDays());
    }
}
