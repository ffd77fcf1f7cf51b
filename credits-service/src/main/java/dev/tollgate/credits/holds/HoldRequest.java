package dev.tollgate.credits.holds;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.credits.ledger.Account;
import dev.tollgate.platform.web.RequestFields;

/** The body of placing a hold: {@code hold_id} (the idempotency key), {@code amount_credits}, {@code ttl_seconds}?. */
public record HoldRequest(String holdId, long amountCredits, Long ttlSeconds) {

    /** {@code maxTtl}: the longest lifetime a caller may ask for. */
    public static HoldRequest from(JsonNode body, Duration maxTtl) {
        RequestFields fields = RequestFields.ofBody(body);
        String holdId = fields.requiredString("hold_id", 200);
        Long amount = fields.requiredPositive("amount_credits", Account.MAX_CREDITS);
        Long ttlSeconds = fields.optionalPositive("ttl_seconds", maxTtl.toSeconds());
        fields.done();
        return new HoldRequest(holdId, amount, ttlSeconds);
    }

    /** The hold's lifetime: the one asked for, or {@code byDefault}. */
    public Duration ttl(Duration byDefault) {
        return ttlSeconds == null ? byDefault : Duration.ofSeconds(ttlSeconds);
    }
}
