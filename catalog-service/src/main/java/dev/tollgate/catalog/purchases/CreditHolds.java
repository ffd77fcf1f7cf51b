package dev.tollgate.catalog.purchases;

import java.time.Duration;
import java.util.Map;

import dev.tollgate.catalog.http.CatalogError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Holds, captures and releases credit for orders; the order id is the hold's idempotency key. */
@ApplicationScoped
public class CreditHolds {

    @Inject
    @RestClient
    CreditsClient credits;

    /** Returns false when the user lacks the credit; throws when credits-service cannot answer. */
    public boolean hold(String userId, String orderId, long amount, Duration ttl) {
        try (Response r = credits.place(userId, Map.of("hold_id", orderId, "amount_credits", amount,
                "ttl_seconds", ttl.toSeconds()))) {
            if (r.getStatus() == 402) {
                return false;
            }
            expectOk(r, "hold");
            return true;
        } catch (ProcessingException e) {
            throw unavailable(e);
        }
    }

    public void capture(String userId, String orderId) {
        try (Response r = credits.capture(userId, orderId)) {
            expectOk(r, "capture");
        } catch (ProcessingException e) {
            throw unavailable(e);
        }
    }

    public void release(String userId, String orderId) {
        try (Response r = credits.release(userId, orderId)) {
            if (r.getStatus() == 404) {
                return; // never held (it was refused or never reached credits): nothing to give back
            }
            expectOk(r, "release");
        } catch (ProcessingException e) {
            throw unavailable(e);
        }
    }

    private static void expectOk(Response r, String what) {
        if (r.getStatus() != 200) {
            throw new CatalogError(503, "credits_unavailable", "The credit " + what + " failed (" + r.getStatus()
                    + "); nothing was charged");
        }
    }

    private static CatalogError unavailable(Exception e) {
        return new CatalogError(503, "credits_unavailable", "The credit ledger is unreachable; nothing was charged");
    }
}
