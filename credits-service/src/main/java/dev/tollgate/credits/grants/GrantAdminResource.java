package dev.tollgate.credits.grants;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.credits.history.GrantView;
import dev.tollgate.credits.history.TransactionView;
import dev.tollgate.credits.ledger.LedgerService;
import dev.tollgate.credits.ledger.LedgerTransaction;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.MessageEnvelope;
import dev.tollgate.platform.web.RequestFields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * Admin writes to the ledger. Each takes an {@code Idempotency-Key} header: retrying with the same key returns the
 * first result (200) instead of granting or revoking again (the first answer is 201).
 */
@Path("/admin/credits/grants")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class GrantAdminResource {

    /** A grant's answer {@code data}. */
    public record Granted(GrantView grant) {
    }

    /** A revocation's answer {@code data}: the {@code revocation} transaction. */
    public record Revoked(TransactionView transaction) {
    }

    private final LedgerService ledger;
    private final JsonBody json;
    private final ObjectMapper mapper;

    public GrantAdminResource(LedgerService ledger, JsonBody json, ObjectMapper mapper) {
        this.ledger = ledger;
        this.json = json;
        this.mapper = mapper;
    }

    @POST
    public Response grant(
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = GrantRequest.class))) String body,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        String key = RequestFields.requiredHeader("Idempotency-Key", idempotencyKey, 200);
        GrantRequest request = GrantRequest.from(json.parse(body), ledger.now(), mapper);
        LedgerService.GrantResult result = ledger.grant(request.userId(), key, request.amountCredits(),
                request.creditType(), request.sourceMetadata(), request.expiresAt());
        return Response.status(result.created() ? 201 : 200)
                .entity(MessageEnvelope.of("Grant recorded", new Granted(GrantView.of(request.userId(), result.grant()))))
                .build();
    }

    @POST
    @Path("/{grantId}/revoke")
    public MessageEnvelope<Revoked> revoke(@PathParam("grantId") String grantId,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RevokeRequest.class))) String body,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        String key = RequestFields.requiredHeader("Idempotency-Key", idempotencyKey, 200);
        RevokeRequest request = json.parseOptional(body).map(RevokeRequest::from).orElse(RevokeRequest.ALL_LEFT);
        LedgerTransaction tx = ledger.revoke(grantId, key, request.amountCredits());
        return MessageEnvelope.of("Grant revoked", new Revoked(TransactionView.of(tx)));
    }
}
