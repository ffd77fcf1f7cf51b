package dev.tollgate.credits.holds;

import java.util.Objects;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.credits.ledger.HoldRecord;

/** A hold as the internal API answers it; {@code settled_at}, {@code reason}, {@code transaction_id} null while held. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HoldView(String holdId, String userId, String state, long amountCredits, String createdAt,
        String expiresAt, String settledAt, String reason, String transactionId) {

    public static HoldView of(HoldRecord h) {
        return new HoldView(h.id(), h.userId(), h.state().wireName(), h.amount(), Objects.toString(h.createdAt(), null),
                Objects.toString(h.expiresAt(), null), Objects.toString(h.settledAt(), null), h.reason(),
                h.transactionId());
    }
}
