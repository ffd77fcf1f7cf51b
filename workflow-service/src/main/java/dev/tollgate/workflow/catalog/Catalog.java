package dev.tollgate.workflow.catalog;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.platform.web.CodedError;
import dev.tollgate.platform.web.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** What workflow-service asks catalog-service, with its failures turned into webhooks-family errors. */
@ApplicationScoped
public class Catalog {

    /** {@link Purchase#status()} when catalog gave no answer (unreachable, or no answer within the read timeout). */
    public static final int NO_ANSWER = 0;

    private final CatalogClient client;
    private final CatalogPurchaseClient purchases;
    private final ObjectMapper json;

    public Catalog(@RestClient CatalogClient client, @RestClient CatalogPurchaseClient purchases, ObjectMapper json) {
        this.client = client;
        this.purchases = purchases;
        this.json = json;
    }

    /** The catalog's answer to "may this budget run this workflow?": {@code allowed}, or the blockers. */
    public WorkflowAuthorization authorize(String budgetId, String workflowId, List<String> requiredCredentials) {
        try (Response r = client.authorize(new AuthorizationQuestion(budgetId == null ? "" : budgetId, workflowId,
                requiredCredentials))) {
            if (r.getStatus() == 404 || r.getStatus() == 422) {
                throw new CodedError(409, "workflow_not_on_budget", "This token names no usable budget");
            }
            return data(r, CatalogClient.AUTHORIZATION);
        } catch (ProcessingException e) {
            throw unavailable();
        }
    }

    /** The product, or null if there is none: used to check workflow definitions. */
    public CatalogProduct product(String ref) {
        try (Response r = client.product(ref)) {
            if (r.getStatus() == 404) {
                return null;
            }
            CatalogProduct product = data(r, CatalogClient.PRODUCT).product();
            if (product == null) {
                throw unavailable();
            }
            return product;
        } catch (ProcessingException e) {
            throw unavailable();
        }
    }

    /** A budget credential's value, or null when the budget does not have it. */
    public String credential(String budgetId, String key) {
        try (Response r = client.credential(budgetId, key)) {
            if (r.getStatus() == 404) {
                return null;
            }
            return data(r, CatalogClient.CREDENTIAL).value();
        } catch (ProcessingException e) {
            throw unavailable();
        }
    }

    /**
     * The outcome of a purchase made for a run step: the answer's body, with the HTTP status beside it
     * ({@link #NO_ANSWER} if there was none: whether it charged is then unknown).
     */
    public record Purchase(int status, StepPurchaseAnswer body) {
    }

    public Purchase purchase(String userId, String budgetId, String productId, JsonNode parameters, String key) {
        try (Response r = purchases.purchase(new StepPurchase(userId, budgetId == null ? "" : budgetId, productId,
                parameters, key))) {
            return new Purchase(r.getStatus(), answer(r.readEntity(String.class)));
        } catch (ProcessingException | JsonProcessingException e) {
            return new Purchase(NO_ANSWER, StepPurchaseAnswer.UNAVAILABLE);
        }
    }

    /**
     * Read from the text rather than by the client, so that a body that is no JSON at all (a proxy's error page) is
     * told apart from an answer: it is no answer.
     */
    private StepPurchaseAnswer answer(String body) throws JsonProcessingException {
        return body == null || body.isBlank() ? StepPurchaseAnswer.EMPTY
                : json.readValue(body, StepPurchaseAnswer.class);
    }

    /** {@code data} of a 200's envelope; anything else is a catalog that could not be asked. */
    private static <T> T data(Response r, GenericType<Envelope<T>> type) {
        if (r.getStatus() != 200) {
            throw unavailable();
        }
        Envelope<T> envelope = r.readEntity(type);
        if (envelope == null || envelope.data() == null) {
            throw unavailable();
        }
        return envelope.data();
    }

    private static CodedError unavailable() {
        return new CodedError(503, "catalog_unavailable", "The catalog could not be asked; try again");
    }
}
