package dev.tollgate.catalog.purchases;

import java.io.IOException;
import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.catalog.http.CatalogError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Holds, captures and releases credit for orders; the order id is the hold's idempotency key. */
@ApplicationScoped
public class CreditHolds {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What credits-service is asked to hold. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record HoldRequest(String holdId, long amountCredits, long ttlSeconds) {
    }

    /** A refusal from credits-service: its {@code error} is a code, or an object carrying one. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Refusal(JsonNode error) {

        String code() {
            if (error == null) {
                return "";
            }
            return error.isTextual() ? error.asText() : error.path("code").asText("");
        }
    }

    // Field injection, unlike the rest of the service: tests replace this bean by a subclass
    // (UnreachableLedgerHolds) that has no constructor to pass the client through.
    @Inject
    @RestClient
    CreditsClient credits;

    /** Returns false when the user lacks the credit; throws when credits-service cannot answer. */
    public boolean hold(String userId, String orderId, long amount, Duration ttl) {
        try (Response r = credits.place(userId, new HoldRequest(orderId, amount, ttl.toSeconds()))) {
            if (r.getStatus() == 402) {
                return false;
            }
            expectOk(r, "hold");
            return true;
        } catch (ProcessingException e) {
            throw unavailable(e);
        }
    }

    /**
     * Charges a hold. Whether it was charged: false when the hold is gone (it ran out and credits-service released
     * it, or it was never placed), so there is nothing to charge under this id. Throws when credits-service cannot
     * answer, or answers anything else: then whether it charged is not known here, and the caller must not say.
     */
    public boolean capture(String userId, String holdId) {
        try (Response r = credits.capture(userId, holdId)) {
            if (r.getStatus() == 404 || (r.getStatus() == 409 && errorOf(r).equals("hold_already_released"))) {
                return false;
            }
            expectOk(r, "capture");
            return true;
        } catch (ProcessingException e) {
            throw unavailable(e);
        }
    }

    public void release(String userId, String holdId) {
        try (Response r = credits.release(userId, holdId)) {
            if (r.getStatus() == 404) {
                return; // never held (it was refused or never reached credits): nothing to give back
            }
            if (r.getStatus() == 409 && errorOf(r).equals("hold_already_released")) {
                return; // it ran out and credits-service gave it back already
            }
            expectOk(r, "release");
        } catch (ProcessingException e) {
            throw unavailable(e);
        }
    }

    /** The refusal's code, or "" when the answer is not one (read as text first: its media type is not trusted). */
    private static String errorOf(Response r) {
        try {
            String body = r.readEntity(String.class);
            Refusal refusal = JSON.readValue(body == null ? "{}" : body, Refusal.class);
            return refusal == null ? "" : refusal.code();
        } catch (RuntimeException | IOException e) {
            return "";
        }
    }

    private static void expectOk(Response r, String what) {
        if (r.getStatus() != 200) {
            throw new CatalogError(503, "credits_unavailable", "The credit " + what + " failed (" + r.getStatus() + ")");
        }
    }

    private static CatalogError unavailable(Exception e) {
        return new CatalogError(503, "credits_unavailable", "The credit ledger is unreachable");
    }
}
