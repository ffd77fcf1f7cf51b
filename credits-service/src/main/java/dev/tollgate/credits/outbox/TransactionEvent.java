package dev.tollgate.credits.outbox;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.credits.ledger.LedgerTransaction;

/**
 * What {@code credits.transactions} carries: CloudEvents attributes around one ledger transaction. The event id is
 * the transaction id, so a consumer that sees it twice (the relay publishes at least once) ignores the repeat;
 * {@code sequence} orders one user's events even if a retry reorders them.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TransactionEvent(String specversion, String id, String source, String type, String subject,
        String time, String datacontenttype, Data data) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Data(String transactionId, String userId, String transactionType, long amountCredits,
            long balanceAfterCredits, long sequence, String grantId, String holdId, String dateCreated) {
    }

    public static TransactionEvent of(LedgerTransaction t) {
        return new TransactionEvent("1.0", t.id(), "tollgate/credits-service",
                "dev.tollgate.credits.transaction." + t.type().wireName(), t.userId(), t.createdAt().toString(),
                "application/json", new Data(t.id(), t.userId(), t.type().wireName(), t.amount(), t.balanceAfter(),
                        t.sequence(), t.grantId(), t.holdId(), t.createdAt().toString()));
    }
}
