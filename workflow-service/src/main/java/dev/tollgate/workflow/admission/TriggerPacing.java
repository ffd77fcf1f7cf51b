package dev.tollgate.workflow.admission;

import java.time.Duration;

import dev.tollgate.workflow.config.WorkflowConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * In the api role: holds a budget's trigger for its slot, or refuses it 429 {@code rate_limited} with a
 * {@code Retry-After}, while another budget is triggering too ({@link BudgetPacing}; README "Fair to every tenant").
 * The hold is short ({@code fairness.max-pacing-delay}) and holds no thread (the trigger resource waits on a timer): a
 * flood from many clients cannot fill the executor with held triggers that others' would queue behind, and reaches
 * the refusal rather than an unbounded pile. Per replica: with R api replicas a budget is paced at R times the rate.
 */
@ApplicationScoped
public class TriggerPacing {

    private final BudgetPacing pacing;
    private final BudgetPacing.State state = new BudgetPacing.State();
    private final Counter paced;
    private final Counter refused;

    public TriggerPacing(WorkflowConfig config, MeterRegistry metrics) {
        WorkflowConfig.Fairness fairness = config.fairness();
        this.pacing = new BudgetPacing(fairness.contendedTriggersPerSecond(), fairness.contendedWindow(),
                fairness.maxPacingDelay());
        this.paced = metrics.counter("tollgate.workflow.triggers.paced");
        this.refused = metrics.counter("tollgate.workflow.triggers.refused", "reason", "budget_share");
    }

    /**
     * How long {@code budgetId}'s trigger waits for its slot (zero: go now); throws a 429 when its slot is further
     * away than a trigger may wait.
     */
    public Duration delayFor(String budgetId) {
        BudgetPacing.Decision d;
        synchronized (state) {
            d = pacing.decide(state, budgetId, System.nanoTime());
        }
        if (d.refused()) {
            refused.increment();
            throw new BudgetShareExceeded(d.retryAfterSeconds());
        }
        if (d.delayNanos() > 0) {
            paced.increment();
        }
        return Duration.ofNanos(d.delayNanos());
    }

    @Scheduled(every = "10s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void forgetIdle() {
        synchronized (state) {
            pacing.forgetIdle(state, System.nanoTime());
        }
    }
}
