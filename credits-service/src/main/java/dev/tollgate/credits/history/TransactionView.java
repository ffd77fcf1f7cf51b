package dev.tollgate.credits.history;

import java.math.BigDecimal;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.credits.ledger.LedgerTransaction;

/** A ledger transaction as the contract spells it: {@code _id}, dollars beside credits. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TransactionView(@JsonProperty("_id") String id, String userId, String transactionType,
        long amountCredits, BigDecimal amountUsd, long balanceAfterCredits, BigDecimal balanceAfterUsd,
        String dateCreated) {

    public static TransactionView of(LedgerTransaction t) {
        return new TransactionView(t.id(), t.userId(), t.type().wireName(), t.amount(),
                BigDecimal.valueOf(t.amount(), 2), t.balanceAfter(), BigDecimal.valueOf(t.balanceAfter(), 2),
                Objects.toString(t.createdAt(), null));
    }
}
