package dev.tollgate.catalog.purchases;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Updates;
import dev.tollgate.catalog.budgets.Budget;
import dev.tollgate.catalog.budgets.BudgetProductRepository;
import dev.tollgate.catalog.budgets.BudgetService;
import dev.tollgate.catalog.config.CatalogConfig;
import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.catalog.products.ActionSchemas;
import dev.tollgate.catalog.products.Product;
import dev.tollgate.catalog.products.ProductAction;
import dev.tollgate.catalog.products.ProductRepository;
import dev.tollgate.catalog.tools.ToolCall;
import dev.tollgate.catalog.tools.ToolFailure;
import dev.tollgate.catalog.tools.ToolInvoker;
import dev.tollgate.platform.store.Sha256;
import dev.tollgate.platform.web.ValidationProblem;
import dev.tollgate.platform.web.ValidationProblem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * A purchase: check, record the order, hold the price, invoke, then capture on success or release on failure.
 * The order id is the hold's key, so each step can be repeated, by a retrying client or by the recovery sweep after
 * a crash, without charging twice; a call that failed or never finished is never charged.
 */
@ApplicationScoped
public class PurchaseService {

    private static final Logger LOG = Logger.getLogger(PurchaseService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OrderRepository orders;
    private final ProductRepository products;
    private final BudgetService budgets;
    private final BudgetProductRepository budgetProducts;
    private final ActionSchemas schemas;
    private final ToolInvoker tools;
    private final CreditHolds credits;
    private final CatalogConfig config;

    public PurchaseService(OrderRepository orders, ProductRepository products, BudgetService budgets,
            BudgetProductRepository budgetProducts, ActionSchemas schemas, ToolInvoker tools, CreditHolds credits,
            CatalogConfig config) {
        this.orders = orders;
        this.products = products;
        this.budgets = budgets;
        this.budgetProducts = budgetProducts;
        this.schemas = schemas;
        this.tools = tools;
        this.credits = credits;
        this.config = config;
    }

    public record Buyer(String userId, String budgetId) {
    }

    /** What a repeated key means. */
    public enum KeyUse {
        /**
         * A caller's {@code Idempotency-Key}: it names one request. Sent again with another product or other parameters
         * it is refused (409 {@code idempotency_key_reused}), as Stripe does.
         */
        ONE_REQUEST,
        /**
         * A workflow step's order key: it names the step's purchase. A later attempt of the step (taken over after a
         * crash) may render other parameters (a model step before it answered differently); the step's purchase is
         * still the first one, which it answers, so the run never buys twice nor fails over a charge it made.
         */
        STEP_PURCHASE
    }

    public Order purchase(Buyer buyer, String productRef, JsonNode parameters, String idempotencyKey, String instanceId,
            KeyUse keyUse) {
        Product product = products.lookup(productRef).product();
        if (product == null || !product.isActive()) {
            throw new CatalogError(404, "product_not_found", "Product not found");
        }
        Budget budget = budgets.lookup(buyer.budgetId()).orElse(null);
        if (budget == null || !budget.ownerUserId.equals(buyer.userId()) || !budgetProducts.enables(budget.id.toHexString(), product.id.toHexString())) {
            throw new CatalogError(403, "product_not_on_budget", "This product is not enabled on your budget");
        }
        ValidCall call = validate(product, parameters);
        ProductAction action = call.action();
        List<String> missing = product.requiredCredentials == null ? List.of()
                : product.requiredCredentials.stream().filter(k -> !budget.hasCredential(k)).toList();
        if (!missing.isEmpty()) {
            throw new CatalogError(409, "missing_credentials", "Set these credentials on your budget first: " + missing);
        }

        Order order = newOrder(buyer, product, action, parameters, idempotencyKey, instanceId);
        order.keyUse = idempotencyKey == null ? null : keyUse.name();
        try {
            orders.persist(order);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return replay(order, keyUse);
        }
        return execute(order, product, call.toolParameters());
    }

    /**
     * Settles an order left unsettled (a crash, or the ledger unreachable when it was to be charged): charge if the
     * tool answered, release otherwise. Each outcome is written once; an order is only retried while the ledger
     * cannot be reached.
     */
    public void recover(Order order) {
        if (OrderState.HELD.equals(order.state) && order.resultJson != null) {
            charge(order);
        } else {
            if (order.priceCredits > 0) {
                credits.release(order.userId, order.id);
            }
            transition(order, order.state, OrderState.FAILED, "interrupted", "The purchase was interrupted; nothing was charged");
        }
    }

    /**
     * Charges a HELD order whose tool answered. If its hold ran out first (credits-service released it: the ledger
     * was unreachable longer than the hold's TTL), the price is held again under a second, fixed id and charged; if
     * the credit is no longer there, the order fails, uncharged. Repeating this after a crash anywhere in it charges
     * at most once: both holds are idempotent by id, and a captured hold answers captured again. Throws while the
     * ledger cannot be reached (the order stays HELD for the sweep).
     */
    private void charge(Order order) {
        if (order.priceCredits > 0 && !credits.capture(order.userId, order.id)) {
            String again = order.id + ":held-again";
            if (!credits.hold(order.userId, again, order.priceCredits, config.purchases().holdTtl())
                    || !credits.capture(order.userId, again)) {
                transition(order, OrderState.HELD, OrderState.FAILED, "hold_expired",
                        "The credit held for this purchase ran out before it could be charged and is no longer "
                                + "available; nothing was charged");
                return;
            }
        }
        transition(order, OrderState.HELD, OrderState.SUCCEEDED, null, null);
    }

    /**
     * Hold, invoke, then capture or release. One conditional write per state change: the order is not rewritten
     * between hold and invocation, because a PENDING order and a held one without an answer are recovered the same
     * way (released); the state changes to HELD only together with the tool's answer, which is what decides that
     * recovery charges.
     */
    private Order execute(Order order, Product product, JsonNode toolParameters) {
        boolean held;
        try {
            held = order.priceCredits == 0 || credits.hold(order.userId, order.id, order.priceCredits,
                    config.purchases().holdTtl());
        } catch (CatalogError unavailable) {
            // A hold that may have been placed is released by the recovery sweep (the order is PENDING).
            throw new CatalogError(unavailable.status(), unavailable.code(), unavailable.getMessage()
                    + "; nothing was charged (order " + order.id + ")");
        }
        if (!held) {
            transition(order, OrderState.PENDING, OrderState.FAILED, "insufficient_credits", "Not enough credits for this purchase");
            return order;
        }
        JsonNode result;
        try {
            ToolCall call = new ToolCall(product.id.toHexString(), order.userId, order.instanceId, order.id,
                    order.action, toolParameters);
            result = tools.invoke(product.target(), call);
        } catch (ToolFailure failure) {
            releaseQuietly(order);
            transition(order, OrderState.PENDING, OrderState.FAILED, "tool_failed", failure.getMessage());
            return order;
        }
        // The answer is kept before charging: if we die now, the sweep charges for the answer we got.
        order.resultJson = result.toString();
        if (!transition(order, OrderState.PENDING, OrderState.HELD, Updates.set("resultJson", order.resultJson))) {
            // The recovery sweep took this order for interrupted meanwhile (the tool outlasted recover-after, or the
            // store paused that long) and released its credit: it stays as the sweep settled it, uncharged.
            return orders.findById(order.id);
        }
        try {
            charge(order);
        } catch (CatalogError ledgerUnreachable) {
            // The tool answered and its price is held: the purchase happened, and the recovery sweep charges it once
            // the ledger answers. The caller gets its result (a HELD order answers "settlement": "pending"); telling
            // it "nothing was charged" would be untrue, and a retry without an Idempotency-Key would buy again.
            LOG.warnf("order %s: the tool answered but the charge waits for the ledger (%s)", order.id,
                    ledgerUnreachable.getMessage());
        }
        return order;
    }

    /**
     * The order a repeated key names, as it stands, if it is the same purchase (product and parameters): a settled one answers as it did, a HELD one with its tool's answer
     * answers that (its charge is pending), and one whose tool has not answered yet is still in progress.
     */
    private Order replay(Order asked, KeyUse keyUse) {
        Order existing = orders.findById(asked.id);
        boolean sameRequest = asked.productId.equals(existing.productId)
                && sameJson(asked.parametersJson, existing.parametersJson);
        // One key space for both uses (the order id is a digest of user and key): a step's predictable key taken
        // first by a caller's purchase (a cheaper product, bought before the step) is not the step's purchase.
        boolean otherUse = existing.keyUse != null && !existing.keyUse.equals(keyUse.name());
        if (otherUse || (keyUse == KeyUse.ONE_REQUEST && !sameRequest)) {
            // As Stripe does: a key names one request. Answering the first order to a different one would tell the
            // caller its second purchase happened (other text, another action, even another product).
            throw new CatalogError(409, "idempotency_key_reused",
                    "This Idempotency-Key was used for a different purchase; send a new key for a new purchase");
        }
        if (OrderState.PENDING.equals(existing.state) || (OrderState.HELD.equals(existing.state) && existing.resultJson == null)) {
            throw new CatalogError(409, "purchase_in_progress", "This purchase is still in progress; retry shortly");
        }
        return existing;
    }

    /** The same JSON value, whatever the order of its keys and its spacing. */
    static boolean sameJson(String a, String b) {
        try {
            return JSON.readTree(a).equals(JSON.readTree(b));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private void releaseQuietly(Order order) {
        if (order.priceCredits > 0) {
            credits.release(order.userId, order.id);
        }
    }

    private boolean transition(Order order, OrderState from, OrderState to, String errorCode, String errorMessage) {
        order.errorCode = errorCode;
        order.errorMessage = errorMessage;
        return transition(order, from, to, Updates.combine(Updates.set("errorCode", errorCode),
                Updates.set("errorMessage", errorMessage)));
    }

    /** Moves the order (and this copy of it) from {@code from} to {@code to}; whether the store's order moved. */
    private boolean transition(Order order, OrderState from, OrderState to, Bson alsoSet) {
        order.state = to;
        order.updatedAt = Instant.now();
        return orders.transition(order.id, from, to, order.updatedAt, alsoSet);
    }

    /** A call that passed validation: the action it names and the parameters the tool gets (without "action"). */
    private record ValidCall(ProductAction action, JsonNode toolParameters) {
    }

    private ValidCall validate(Product product, JsonNode parameters) {
        List<Object> loc = List.of("body", "parameters");
        if (parameters == null || !parameters.isObject()) {
            throw new ValidationProblem(List.of(FieldError.of(loc, "Input should be a valid dictionary", "dict_type",
                    parameters)));
        }
        JsonNode actionNode = parameters.get("action");
        String actionName = actionNode == null ? null : actionNode.asText(null);
        ProductAction action = actionName == null ? null : product.action(actionName);
        if (action == null) {
            List<String> names = product.actions == null ? List.of() : product.actions.stream().map(a -> a.name).toList();
            throw new ValidationProblem(List.of(new FieldError(List.of("body", "parameters", "action"),
                    "Input should be one of " + names, actionNode == null ? "missing" : "enum", actionNode,
                    Map.of("expected", names))));
        }
        JsonNode toolParameters = withoutAction(parameters);
        List<FieldError> errors = schemas.validate(action.parametersSchema, toolParameters, new ArrayList<>(loc));
        if (!errors.isEmpty()) {
            throw new ValidationProblem(errors);
        }
        return new ValidCall(action, toolParameters);
    }

    private Order newOrder(Buyer buyer, Product product, ProductAction action, JsonNode parameters,
            String idempotencyKey, String instanceId) {
        Order o = new Order();
        o.id = idempotencyKey == null ? "ord_" + new ObjectId().toHexString() : "ord_" + digest(buyer.userId() + "\u0000" + idempotencyKey);
        o.userId = buyer.userId();
        o.budgetId = buyer.budgetId();
        o.productId = product.id.toHexString();
        o.productName = product.name;
        o.action = action.name;
        o.parametersJson = parameters.toString();
        o.priceCredits = product.priceCredits;
        o.instanceId = instanceId;
        o.state = OrderState.PENDING;
        o.createdAt = Instant.now();
        o.updatedAt = o.createdAt;
        return o;
    }

    /** What the tool sees: the caller's parameters minus {@code action}, which chose the tool's action. */
    private static JsonNode withoutAction(JsonNode parameters) {
        ObjectNode copy = ((ObjectNode) parameters).deepCopy();
        copy.remove("action");
        return copy;
    }

    private static String digest(String value) {
        return Sha256.hex(value).substring(0, 32);
    }
}
