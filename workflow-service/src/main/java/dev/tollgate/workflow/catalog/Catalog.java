package dev.tollgate.workflow.catalog;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.platform.web.CodedError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** What workflow-service asks catalog-service, with its failures turned into webhooks-family errors. */
@ApplicationScoped
public class Catalog {

    @Inject
    @RestClient
    CatalogClient client;

    @Inject
    @RestClient
    CatalogPurchaseClient purchases;

    @Inject
    ObjectMapper json;

    /** {@link Purchase#status()} when catalog gave no answer (unreachable, or no answer within the read timeout). */
    public static final int NO_ANSWER = 0;

    /** The catalog's answer to "may this budget run this workflow?": {@code data.allowed} and the blockers. */
    public JsonNode authorize(String budgetId, String workflowId, List<String> requiredCredentials) {
        try (Response r = client.authorize(Map.of("budget_id", budgetId == null ? "" : budgetId,
                "workflow_id", workflowId, "required_credentials", requiredCredentials))) {
            if (r.getStatus() == 404 || r.getStatus() == 422) {
                throw new CodedError(409, "workflow_not_on_budget", "This token names no usable budget");
            }
            return body(r).path("data");
        } catch (ProcessingException e) {
            throw unavailable();
        }
    }

    /** The product, if it exists: used to check workflow definitions. */
    public JsonNode product(String ref) {
        try (Response r = client.product(ref)) {
            if (r.getStatus() == 404) {
                return null;
            }
            return body(r).at("/data/product");
        } catch (ProcessingException e) {
            throw unavailable();
        }
    }

    /**
     * The outcome of a purchase made for a run step: the response body, with the HTTP status beside it
     * ({@link #NO_ANSWER} if there was none: whether it charged is then unknown).
     */
    public record Purchase(int status, JsonNode body) {
    }

    public Purchase purchase(String userId, String budgetId, String productId, JsonNode parameters, String key) {
        try (Response r = purchases.purchase(Map.of("user_id", userId, "budget_id", budgetId == null ? "" : budgetId,
                "product_id", productId, "parameters", parameters, "idempotency_key", key))) {
            return new Purchase(r.getStatus(), json.readTree(r.readEntity(String.class)));
        } catch (ProcessingException | java.io.IOException e) {
            return new Purchase(NO_ANSWER, json.createObjectNode().put("error", "catalog_unavailable"));
        }
    }

    /** A budget credential's value, or null when the budget does not have it. */
    public String credential(String budgetId, String key) {
        try (Response r = client.credential(budgetId, key)) {
            if (r.getStatus() == 404) {
                return null;
            }
            return body(r).at("/data/value").asText();
        } catch (ProcessingException e) {
            throw unavailable();
        }
    }

    private JsonNode body(Response r) {
        if (r.getStatus() != 200) {
            throw unavailable();
        }
        try {
            return json.readTree(r.readEntity(String.class));
        } catch (java.io.IOException e) {
            throw unavailable();
        }
    }

    private static CodedError unavailable() {
        return new CodedError(503, "catalog_unavailable", "The catalog could not be asked; try again");
    }
}
