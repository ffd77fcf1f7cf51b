package dev.tollgate.catalog.purchases;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.catalog.instances.InstanceService;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.RequestFields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * {@code POST /products/purchase}: buy and invoke one tool call. Optional {@code Idempotency-Key}: a retry with the
 * same key answers the first outcome instead of buying again.
 */
@Path("/products/purchase")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PurchaseResource {

    private final PurchaseService purchases;
    private final InstanceService instances;
    private final JsonBody json;
    private final ObjectMapper mapper;
    private final JsonWebToken caller;

    public PurchaseResource(PurchaseService purchases, InstanceService instances, JsonBody json, ObjectMapper mapper,
            JsonWebToken caller) {
        this.purchases = purchases;
        this.instances = instances;
        this.json = json;
        this.mapper = mapper;
        this.caller = caller;
    }

    @POST
    @RolesAllowed("user")
    public PurchaseAnswer purchase(
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PurchaseRequest.class))) String body,
            @HeaderParam("x-instance-id") String instanceId,
            @HeaderParam("x-instance-metadata") String instanceMetadata,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        PurchaseRequest request = PurchaseRequest.from(json.parse(body));
        String key = idempotencyKey == null ? null : RequestFields.requiredHeader("Idempotency-Key", idempotencyKey, 200);
        String instance = instances.resolve(caller.getSubject(), instanceId, instanceMetadata);
        Order order = purchases.purchase(new PurchaseService.Buyer(caller.getSubject(), caller.getClaim("budget_id")),
                request.productId(), request.parameters(), key, instance, PurchaseService.KeyUse.ONE_REQUEST);
        if (OrderState.FAILED.equals(order.state)) {
            throw switch (order.errorCode) {
                case "insufficient_credits" -> new CatalogError(402, order.errorCode, order.errorMessage);
                case "tool_failed" -> new CatalogError(502, order.errorCode, order.errorMessage + " (order " + order.id
                        + "; nothing was charged)");
                default -> new CatalogError(503, order.errorCode, order.errorMessage);
            };
        }
        return PurchaseAnswer.of(order, mapper);
    }
}
