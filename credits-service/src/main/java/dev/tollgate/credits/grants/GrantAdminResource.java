package dev.tollgate.credits.grants;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.credits.history.LedgerViews;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.RequestFields;
import dev.tollgate.credits.ledger.LedgerService;
import dev.tollgate.credits.ledger.LedgerTransaction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Admin writes to the ledger. Each takes an {@code Idempotency-Key} header: retrying with the same key returns the
 * first result (200) instead of granting or revoking again (the first answer is 201).
 */
@Path("/admin/credits/grants")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class GrantAdminResource {

    static final Pattern CREDIT_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    static final long MAX_CREDITS = 1_000_000_000_000L;

    @Inject
    LedgerService ledger;

    @Inject
    JsonBody json;

    @Inject
    ObjectMapper mapper;

    @POST
    public Response grant(String body, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        String key = RequestFields.requiredHeader("Idempotency-Key", idempotencyKey, 200);
        RequestFields fields = RequestFields.ofBody(json.parse(body));
        String userId = fields.requiredString("user_id", 128);
        Long amount = fields.requiredPositive("amount_credits", MAX_CREDITS);
        String creditType = fields.requiredString("credit_type", 64, CREDIT_TYPE);
        var expiresAt = fields.optionalFutureInstant("expires_at", ledger.now());
        Map<String, Object> metadata = fields.optionalObject("source_metadata", mapper);
        fields.done();

        LedgerService.GrantResult result = ledger.grant(userId, key, amount, creditType, metadata, expiresAt);
        return Response.status(result.created() ? 201 : 200)
                .entity(envelope("Grant recorded", Map.of("grant", LedgerViews.grant(userId, result.grant()))))
                .build();
    }

    @POST
    @Path("/{grantId}/revoke")
    public Map<String, Object> revoke(@PathParam("grantId") String grantId, String body,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        String key = RequestFields.requiredHeader("Idempotency-Key", idempotencyKey, 200);
        Long amount = null;
        if (body != null && !body.isBlank()) {
            RequestFields fields = RequestFields.ofBody(json.parse(body));
            amount = fields.optionalPositive("amount_credits", MAX_CREDITS);
            fields.done();
        }
        LedgerTransaction tx = ledger.revoke(grantId, key, amount);
        return envelope("Grant revoked", Map.of("transaction", LedgerViews.transaction(tx)));
    }

    static Map<String, Object> envelope(String message, Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("message", message);
        body.put("data", data);
        return body;
    }
}
