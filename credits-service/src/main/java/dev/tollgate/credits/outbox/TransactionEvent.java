package dev.tollgate.credits.outbox;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.credits.ledger.LedgerTransaction;
import dev.tollgate.platform.messaging.CloudEvent;

/**
 * What {@code credits.transactions} carries: the platform's {@link CloudEvent} around one ledger transaction. The event id is
 * the transaction id, so a consumer that sees it twice (the relay publishes at least once) ignores the repeat;
 * {@code sequence} orders one user's events even if a retry reorders them.
 */
public final class TransactionEvent {

    private TransactionEvent() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Data(String transactionId, String userId, String transactionType, long amountCredits,
            long balanceAfterCredits, long sequence, String grantId, String holdId, String dateCreated) {
    }

    public static CloudEvent<Data> of(LedgerTransaction t) {
        return CloudEvent.of(t.id(), "tollgate/credits-service",
                "dev.tollgate.credits.transaction." + t.type().wireName(), t.userId(), t.createdAt().toString(),
                new Data(t.id(), t.userId(), t.type().wireName(), t.amount(), t.balanceAfter(), t.sequence(),
                        t.grantId(), t.holdId(), t.createdAt().toString()));
    }
}
