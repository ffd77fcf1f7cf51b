package dev.tollgate.catalog.purchases;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.tollgate.catalog.http.CatalogError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * The real credit calls, with two handles on the ledger being unreachable: for the next capture of a user's hold (the
 * tool has answered, the charge cannot be taken), or for every call about a user (nothing of theirs can be settled).
 * Enabled only by the test profiles that list it.
 */
@Alternative
@ApplicationScoped
public class UnreachableLedgerHolds extends CreditHolds {

    private final Set<String> failNextCapture = ConcurrentHashMap.newKeySet();
    private final Set<String> unreachableFor = ConcurrentHashMap.newKeySet();

    public void failNextCapture(String userId) {
        failNextCapture.add(userId);
    }

    public void unreachableFor(String userId) {
        unreachableFor.add(userId);
    }

    private void check(String userId) {
        if (unreachableFor.contains(userId)) {
            throw new CatalogError(503, "credits_unavailable", "The credit ledger is unreachable");
        }
    }

    @Override
    public boolean hold(String userId, String orderId, long amount, Duration ttl) {
        check(userId);
        return super.hold(userId, orderId, amount, ttl);
    }

    @Override
    public boolean capture(String userId, String holdId) {
        check(userId);
        if (failNextCapture.remove(userId)) {
            throw new CatalogError(503, "credits_unavailable", "The credit ledger is unreachable");
        }
        return super.capture(userId, holdId);
    }

    @Override
    public void release(String userId, String holdId) {
        check(userId);
        super.release(userId, holdId);
    }
}
