package dev.tollgate.workflow.admission;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Paces a budget's triggers while another budget is triggering too, so that one tenant's flood cannot take every
 * core from the others' runs: on a shared machine the runs behind a flood wait less in the platform's queues (the
 * workers already serve budgets in turn) than for CPU, which only a slower flood gives back. A budget alone is never
 * paced, however fast it triggers. While another budget triggered within {@code contendedWindow}, a budget's
 * triggers are spaced at least {@code 1 / perSecond} apart (a virtual schedule, GCRA: each taken trigger moves the
 * budget's next slot on by one interval); a trigger whose slot is at most {@code maxDelay} away waits for it, one
 * further away is refused with the seconds until it. Not thread-safe on its own: callers serialise.
 *
 * @param perSecond a budget's triggers per second while another budget is active; 0 never paces
 * @param contendedWindow a budget that triggered within this long is active
 * @param maxDelay the longest a trigger is held for its slot before it is refused instead
 */
public record BudgetPacing(double perSecond, Duration contendedWindow, Duration maxDelay) {

    /** What to do with one trigger: go after {@code delayNanos}, or be refused with a {@code Retry-After}. */
    public record Decision(long delayNanos, long retryAfterSeconds) {
        static final Decision NOW = new Decision(0, 0);

        public boolean refused() {
            return retryAfterSeconds > 0;
        }
    }

    /** The pacing state of one api replica: the two budgets seen last, and each paced budget's next slot. */
    public static final class State {
        // The most recent budget other than any given one is one of the last two distinct budgets seen, so two
        // entries answer "is another budget active?" exactly, in constant time, however many budgets there are.
        private String lastBudget;
        private long lastSeen;
        private String previousBudget;
        private long previousSeen;
        private final Map<String, Long> nextSlot = new HashMap<>();

        int pacedBudgets() {
            return nextSlot.size();
        }
    }

    public Decision decide(State state, String budget, long nowNanos) {
        boolean contended = perSecond > 0 && otherActive(state, budget, nowNanos);
        seen(state, budget, nowNanos);
        if (!contended) {
            state.nextSlot.remove(budget); // alone again: no debt carried into the next contention
            return Decision.NOW;
        }
        long interval = (long) (1_000_000_000L / perSecond);
        long slot = Math.max(state.nextSlot.getOrDefault(budget, nowNanos), nowNanos);
        long delay = slot - nowNanos;
        if (delay > maxDelay.toNanos()) {
            return new Decision(0, Math.max(1, (delay + 999_999_999L) / 1_000_000_000L));
        }
        state.nextSlot.put(budget, slot + interval);
        return new Decision(delay, 0);
    }

    /** Drops the slots of budgets that have not been paced for a window: the state stays as small as the contention. */
    public void forgetIdle(State state, long nowNanos) {
        long window = contendedWindow.toNanos();
        state.nextSlot.values().removeIf(slot -> nowNanos - slot > window);
    }

    private boolean otherActive(State state, String budget, long nowNanos) {
        long window = contendedWindow.toNanos();
        if (state.lastBudget != null && !state.lastBudget.equals(budget)) {
            return nowNanos - state.lastSeen <= window;
        }
        return state.previousBudget != null && nowNanos - state.previousSeen <= window;
    }

    private static void seen(State state, String budget, long nowNanos) {
        if (!budget.equals(state.lastBudget)) {
            state.previousBudget = state.lastBudget;
            state.previousSeen = state.lastSeen;
            state.lastBudget = budget;
        }
        state.lastSeen = nowNanos;
    }
}
