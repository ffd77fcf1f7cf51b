package dev.tollgate.credits.holds;

import dev.tollgate.credits.config.CreditsConfig;
import dev.tollgate.credits.ledger.HoldRecord;
import dev.tollgate.credits.ledger.LedgerService;
import dev.tollgate.platform.web.Envelope;
import dev.tollgate.platform.web.JsonBody;
import jakarta.annotation.security.RolesAllowed;
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

    /** Every answer's {@code data}. */
    public record HoldAnswer(HoldView hold) {
    }

    private final LedgerService ledger;
    private final JsonBody json;
    private final CreditsConfig config;

    public HoldResource(LedgerService ledger, JsonBody json, CreditsConfig config) {
        this.ledger = ledger;
        this.json = json;
        this.config = config;
    }

    @POST
    public Envelope<HoldAnswer> place(@PathParam("userId") String userId, String body) {
        HoldRequest request = HoldRequest.from(json.parse(body), config.holds().maxTtl());
        return answer(ledger.placeHold(userId, request.holdId(), request.amountCredits(),
                request.ttl(config.holds().defaultTtl())));
    }

    @GET
    @Path("/{holdId}")
    public Envelope<HoldAnswer> get(@PathParam("userId") String userId, @PathParam("holdId") String holdId) {
        return answer(ledger.hold(userId, holdId));
    }

    @POST
    @Path("/{holdId}/capture")
    public Envelope<HoldAnswer> capture(@PathParam("userId") String userId, @PathParam("holdId") String holdId) {
        return answer(ledger.capture(userId, holdId));
    }

    @POST
    @Path("/{holdId}/release")
    public Envelope<HoldAnswer> release(@PathParam("userId") String userId, @PathParam("holdId") String holdId) {
        return answer(ledger.release(userId, holdId, "requested"));
    }

    private static Envelope<HoldAnswer> answer(HoldRecord h) {
        return Envelope.of(new HoldAnswer(HoldView.of(h)));
    }
}
