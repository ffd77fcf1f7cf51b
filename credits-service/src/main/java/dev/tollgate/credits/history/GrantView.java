package dev.tollgate.credits.history;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.credits.ledger.GrantState;

/** A grant as the contract spells it: {@code _id}, dollars beside credits (100 credits = $1, exact decimals). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GrantView(@JsonProperty("_id") String id, String userId, long amountCredits, BigDecimal amountUsd,
        long remainingCredits, String creditType, Map<String, Object> sourceMetadata, String dateCreated,
        String pooledAt, String expiresAt) {

    public static GrantView of(String userId, GrantState g) {
        return new GrantView(g.id(), userId, g.amount(), BigDecimal.valueOf(g.amount(), 2), g.remaining(),
                g.creditType(), g.sourceMetadata(), Objects.toString(g.createdAt(), null),
                Objects.toString(g.pooledAt(), null), Objects.toString(g.expiresAt(), null));
    }
}
