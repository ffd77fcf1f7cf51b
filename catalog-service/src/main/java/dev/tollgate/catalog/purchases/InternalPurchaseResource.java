package dev.tollgate.catalog.purchases;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.platform.web.JsonBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * Internal, for workflow workers: the same purchase as {@code POST /products/purchase}, on behalf of a run's owner
 * and budget, with the idempotency key the worker derives from run and step (a retried run never pays twice).
 */
@Path("/internal/purchases")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("service")
public class InternalPurchaseResource {

    private final PurchaseService purchases;
    private final JsonBody json;
    private final ObjectMapper mapper;

    public InternalPurchaseResource(PurchaseService purchases, JsonBody json, ObjectMapper mapper) {
        this.purchases = purchases;
        this.json = json;
        this.mapper = mapper;
    }

    @POST
    public PurchaseAnswer.ForStep purchase(
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = StepPurchaseRequest.class))) String body) {
        StepPurchaseRequest r = StepPurchaseRequest.from(json.parse(body));
        Order order = purchases.purchase(new PurchaseService.Buyer(r.userId(), r.budgetId()), r.productId(),
                r.parameters(), r.idempotencyKey(), r.instanceId(), PurchaseService.KeyUse.STEP_PURCHASE);
        if (OrderState.FAILED.equals(order.state)) {
            int status = "insufficient_credits".equals(order.errorCode) ? 402 : "tool_failed".equals(order.errorCode) ? 502 : 503;
            throw new CatalogError(status, order.errorCode, order.errorMessage);
        }
        return PurchaseAnswer.ForStep.of(order, mapper);
    }
}
