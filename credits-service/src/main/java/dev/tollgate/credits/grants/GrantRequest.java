package dev.tollgate.credits.grants;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.credits.ledger.Account;
import dev.tollgate.platform.web.RequestFields;

/**
 * The body of {@code POST /admin/credits/grants}: every field checked, every problem reported at once (the 422
 * {@code detail} list). {@code expires_at} must lie in the future; {@code source_metadata} is kept as given.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GrantRequest(String userId, long amountCredits, String creditType, Instant expiresAt,
        Map<String, Object> sourceMetadata) {

    static final Pattern CREDIT_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    public static GrantRequest from(JsonNode body, Instant now, ObjectMapper mapper) {
        RequestFields fields = RequestFields.ofBody(body);
        String userId = fields.requiredString("user_id", 128);
        Long amount = fields.requiredPositive("amount_credits", Account.MAX_CREDITS);
        String creditType = fields.requiredString("credit_type", 64, CREDIT_TYPE);
        Instant expiresAt = fields.optionalFutureInstant("expires_at", now);
        Map<String, Object> metadata = fields.optionalObject("source_metadata", mapper);
        fields.done();
        return new GrantRequest(userId, amount, creditType, expiresAt, metadata);
    }
}
