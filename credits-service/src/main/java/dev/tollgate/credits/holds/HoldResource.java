package dev.tollgate.credits.holds;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tollgate.credits.config.CreditsConfig;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.RequestFields;
import dev.tollgate.credits.ledger.HoldRecord;
import dev.tollgate.credits.ledger.LedgerService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Internal API for catalog-service and workflow workers (role {@code service}): hold credit for a purchase, then
 * capture or release it. The hold id (the order id) is the idempotency key of all three calls.
 */
@Path("/internal/credits/accounts/{userId}/holds")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("service")
public class HoldResource {

    static final long MAX_CREDITS = 1_000_000_000_000L;

    @Inject
    LedgerService ledger;

    @Inject
    JsonBody json;

    @Inject
    CreditsConfig config;

    @POST
    public Map<String, Object> place(@PathParam("userId") String userId, String body) {
        RequestFields fields = RequestFields.ofBody(json.parse(body));
        String holdId = fields.requiredString("hold_id", 200);
        Long amount = fields.requiredPositive("amount_credits", MAX_CREDITS);
        Long ttlSeconds = fields.optionalPositive("ttl_seconds", config.holds().maxTtl().toSeconds());
        fields.done();
        Duration ttl = ttlSeconds == null ? config.holds().defaultTtl() : Duration.ofSeconds(ttlSeconds);
        return view(ledger.placeHold(userId, holdId, amount, ttl));
    }

    @GET
    @Path("/{holdId}")
    public Map<String, Object> get(@PathParam("userId") String userId, @PathParam("holdId") String holdId) {
        return view(ledger.hold(userId, holdId));
    }

    @POST
    @Path("/{holdId}/capture")
    public Map<String, Object> capture(@PathParam("userId") String userId, @PathParam("holdId") String holdId) {
        return view(ledger.capture(userId, holdId));
    }

    @POST
    @Path("/{holdId}/release")
    public Map<String, Object> release(@PathParam("userId") String userId, @PathParam("holdId") String holdId) {
        return view(ledger.release(userId, holdId, "requested"));
    }

    static Map<String, Object> view(HoldRecord h) {
        Map<String, Object> hold = new LinkedHashMap<>();
        hold.put("hold_id", h.id());
        hold.put("user_id", h.userId());
        hold.put("state", h.state().wireName());
        hold.put("amount_credits", h.amount());
        hold.put("created_at", iso(h.createdAt()));
        hold.put("expires_at", iso(h.expiresAt()));
        hold.put("settled_at", iso(h.settledAt()));
        hold.put("reason", h.reason());
        hold.put("transaction_id", h.transactionId());
        return Map.of("success", true, "data", Map.of("hold", hold));
    }

    private static String iso(java.time.Instant i) {
        return i == null ? null : i.toString();
    }
}
