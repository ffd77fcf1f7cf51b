package dev.tollgate.workflow.limits;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.workflow.config.WorkflowConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Each budget's limit on runs executing at once in one worker (its own, else the platform default), as the worker's
 * fair queue asks for it on every hand-out: read from the store at most once per {@code fairness.limit-cache-ttl} per
 * budget, so a change made through any replica's admin API applies everywhere within that time.
 */
@ApplicationScoped
public class RunLimits {

    private final RunLimitRepository limits;
    private final int platformDefault;
    private final Cache<String, Integer> known;

    public RunLimits(RunLimitRepository limits, WorkflowConfig config) {
        this.limits = limits;
        this.platformDefault = config.fairness().defaultMaxConcurrentRuns();
        Duration ttl = config.fairness().limitCacheTtl();
        this.known = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).build();
    }

    /** The limit that applies to {@code budgetId} (0: none). */
    public int maxConcurrentRuns(String budgetId) {
        if (budgetId == null || budgetId.isEmpty()) {
            return platformDefault;
        }
        return known.get(budgetId, id -> view(id).maxConcurrentRuns());
    }

    /** The limit that applies to {@code budgetId}, read now, and where it comes from. */
    public RunLimitView view(String budgetId) {
        RunLimit own = limits.findById(budgetId);
        return own == null ? new RunLimitView(budgetId, platformDefault, "platform_default")
                : new RunLimitView(budgetId, own.maxConcurrentRuns, "budget");
    }

    /** After a change through this replica's admin API: it applies here at once. */
    void changed(String budgetId) {
        known.invalidate(budgetId);
    }
}
