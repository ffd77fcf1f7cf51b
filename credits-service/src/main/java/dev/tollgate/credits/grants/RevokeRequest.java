package dev.tollgate.credits.grants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.credits.ledger.Account;
import dev.tollgate.platform.web.RequestFields;

/** The body of a revocation: {@code amount_credits}, or none (no body at all too) for all that is left. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RevokeRequest(Long amountCredits) {

    static final RevokeRequest ALL_LEFT = new RevokeRequest(null);

    public static RevokeRequest from(JsonNode body) {
        RequestFields fields = RequestFields.ofBody(body);
        Long amount = fields.optionalPositive("amount_credits", Account.MAX_CREDITS);
        fields.done();
        return new RevokeRequest(amount);
    }
}
