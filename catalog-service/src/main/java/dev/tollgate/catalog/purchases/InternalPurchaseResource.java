package dev.tollgate.catalog.purchases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.RequestFields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

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
    public PurchaseAnswer.ForStep purchase(String body) {
        RequestFields f = RequestFields.ofBody(json.parse(body));
        String userId = f.requiredString("user_id", 128);
        String budgetId = f.requiredString("budget_id", 64);
        String productId = f.requiredString("product_id", 200);
        String key = f.requiredString("idempotency_key", 200);
        String instanceId = f.optionalString("instance_id", 80);
        JsonNode parameters = f.node("parameters", true);
        f.done();
        Order order = purchases.purchase(new PurchaseService.Buyer(userId, budgetId), productId, parameters, key,
                instanceId, PurchaseService.KeyUse.STEP_PURCHASE);
        if (OrderState.FAILED.equals(order.state)) {
            int status = "insufficient_credits".equals(order.errorCode) ? 402 : "tool_failed".equals(order.errorCode) ? 502 : 503;
            throw new CatalogError(status, order.errorCode, order.errorMessage);
        }
        return PurchaseAnswer.ForStep.of(order, mapper);
    }
}
