package dev.tollgate.workflow.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BudgetPacingTest {

    private static final long MS = 1_000_000L;
    private static final long T0 = 1_000_000_000_000L;
    // 2 triggers/s while contended: a slot every 500 ms; a trigger waits at most 600 ms for its slot.
    private final BudgetPacing pacing = new BudgetPacing(2, Duration.ofSeconds(2), Duration.ofMillis(600));
    private final BudgetPacing.State state = new BudgetPacing.State();

    @Test
    void aBudgetAloneIsNeverPacedHoweverFastItTriggers() {
        for (int i = 0; i < 1000; i++) {
            BudgetPacing.Decision d = pacing.decide(state, "a", T0 + i);
            assertEquals(0, d.delayNanos());
            assertFalse(d.refused());
        }
        assertEquals(0, state.pacedBudgets());
    }

    @Test
    void whileAnotherBudgetIsActiveTriggersWaitForTheirSlotsAndAreRefusedPastTheLongestWait() {
        pacing.decide(state, "b", T0);
        assertEquals(0, pacing.decide(state, "a", T0).delayNanos());
        assertEquals(500 * MS, pacing.decide(state, "a", T0).delayNanos());
        BudgetPacing.Decision third = pacing.decide(state, "a", T0);
        assertTrue(third.refused()); // its slot would be 1,000 ms away
        assertEquals(1, third.retryAfterSeconds());
        // A refusal takes no slot: 400 ms later the next slot is 600 ms away, within the wait.
        assertEquals(600 * MS, pacing.decide(state, "a", T0 + 400 * MS).delayNanos());
    }

    @Test
    void aBudgetWithinItsShareIsNotHeldWhileTheOtherIs() {
        pacing.decide(state, "a", T0);
        for (int i = 0; i < 10; i++) {
            long now = T0 + i * 600 * MS; // slower than one per 500 ms
            assertEquals(0, pacing.decide(state, "b", now).delayNanos());
            pacing.decide(state, "a", now);
        }
    }

    @Test
    void aRefusalNamesTheWholeSecondsUntilTheSlot() {
        BudgetPacing slow = new BudgetPacing(0.25, Duration.ofSeconds(10), Duration.ofMillis(600));
        slow.decide(state, "b", T0);
        slow.decide(state, "a", T0); // the next slot is 4 s away
        assertEquals(4, slow.decide(state, "a", T0).retryAfterSeconds());
        assertEquals(3, slow.decide(state, "a", T0 + 1500 * MS).retryAfterSeconds()); // 2.5 s: rounded up
    }

    @Test
    void onceTheOtherBudgetIsQuietForTheWindowTheBudgetGoesFreeAndCarriesNoDebt() {
        pacing.decide(state, "b", T0);
        pacing.decide(state, "a", T0);
        pacing.decide(state, "a", T0); // next slot T0 + 1 s
        long later = T0 + 2100 * MS; // b last triggered 2.1 s ago
        for (int i = 0; i < 5; i++) {
            assertEquals(0, pacing.decide(state, "a", later).delayNanos());
        }
        // Contended again: paced from now, not from the slots it would have used while alone.
        pacing.decide(state, "b", later);
        assertEquals(0, pacing.decide(state, "a", later).delayNanos());
        assertEquals(500 * MS, pacing.decide(state, "a", later).delayNanos());
    }

    @Test
    void theMostRecentOtherBudgetIsFoundWhicheverOrderTheyCameIn() {
        pacing.decide(state, "c", T0);
        pacing.decide(state, "b", T0 + 3000 * MS);
        pacing.decide(state, "a", T0 + 3000 * MS);
        // For b: a is recent. For a: b is recent. c is long quiet and does not matter.
        pacing.decide(state, "b", T0 + 3000 * MS);
        assertEquals(500 * MS, pacing.decide(state, "b", T0 + 3000 * MS).delayNanos());
        assertEquals(500 * MS, pacing.decide(state, "a", T0 + 3000 * MS).delayNanos());
        // c alone after both went quiet: free.
        assertEquals(0, pacing.decide(state, "c", T0 + 9000 * MS).delayNanos());
        assertEquals(0, pacing.decide(state, "c", T0 + 9000 * MS).delayNanos());
    }

    @Test
    void zeroPerSecondNeverPaces() {
        BudgetPacing off = new BudgetPacing(0, Duration.ofSeconds(2), Duration.ofMillis(600));
        for (int i = 0; i < 100; i++) {
            assertEquals(0, off.decide(state, i % 2 == 0 ? "a" : "b", T0).delayNanos());
        }
    }

    @Test
    void slotsOfBudgetsNoLongerPacedAreForgotten() {
        pacing.decide(state, "b", T0);
        pacing.decide(state, "a", T0);
        pacing.decide(state, "b", T0);
        assertEquals(2, state.pacedBudgets());
        pacing.forgetIdle(state, T0 + 1000 * MS);
        assertEquals(2, state.pacedBudgets()); // their slots are recent
        pacing.forgetIdle(state, T0 + 5000 * MS);
        assertEquals(0, state.pacedBudgets());
    }
}
