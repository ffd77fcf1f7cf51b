package dev.tollgate.workflow.authorizations;

import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * catalog-service's recent "allowed" answers, per (budget, workflow, required credentials), each for {@code ttl}
 * after it was given. Only "allowed" is remembered: a blocked answer carries approval requests that the catalog opens
 * when asked, and a block lifted by an admin must be seen at once. The required credentials are part of the key, so
 * a definition that starts needing another credential never reuses an answer given for the old list. A zero
 * {@code ttl} remembers nothing.
 */
public final class AllowedAuthorizations {

    /** Budgets x workflows seen within one TTL on one replica; far beyond any real working set. */
    static final int MAX_ENTRIES = 100_000;

    record Key(String budgetId, String workflowId, List<String> requiredCredentials) {
        Key {
            requiredCredentials = requiredCredentials == null ? List.of() : List.copyOf(requiredCredentials);
        }
    }

    private final Cache<Key, Boolean> allowed;

    public AllowedAuthorizations(Duration ttl) {
        this(ttl, Ticker.systemTicker());
    }

    AllowedAuthorizations(Duration ttl, Ticker ticker) {
        this.allowed = ttl.isZero() || ttl.isNegative() ? null
                : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_ENTRIES).ticker(ticker).build();
    }

    /** True if the catalog said "allowed" for exactly this question less than the TTL ago. */
    public boolean knownAllowed(String budgetId, String workflowId, List<String> requiredCredentials) {
        return allowed != null
                && allowed.getIfPresent(new Key(budgetId, workflowId, requiredCredentials)) != null;
    }

    /** Remembers the catalog's answer if it was "allowed"; a "blocked" answer also forgets an earlier "allowed". */
    public void answered(String budgetId, String workflowId, List<String> requiredCredentials, boolean wasAllowed) {
        if (allowed == null) {
            return;
        }
        Key key = new Key(budgetId, workflowId, requiredCredentials);
        if (wasAllowed) {
            allowed.put(key, Boolean.TRUE);
        } else {
            allowed.invalidate(key);
        }
    }

    /** Forgets every answer about {@code workflowId} (its definition changed here). */
    public void forgetWorkflow(String workflowId) {
        if (allowed != null) {
            allowed.asMap().keySet().removeIf(k -> k.workflowId().equals(workflowId));
        }
    }
}
