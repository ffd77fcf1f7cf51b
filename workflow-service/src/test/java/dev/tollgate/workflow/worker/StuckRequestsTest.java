package dev.tollgate.workflow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.tollgate.workflow.runs.Run;
import org.junit.jupiter.api.Test;

/**
 * A queued run is requested again only once the workers took every request as old as its cut-off: a backlog is not a
 * lost request, and a steady flow of younger requests does not keep a lost one from being requested again.
 */
class StuckRequestsTest {

    private static final List<Run> UNTOUCHED = List.of(new Run(), new Run());

    @Test
    void behindABacklogOfOldRequestsNoQueuedRunIsRequestedAgain() {
        assertTrue(StuckRequests.lost(UNTOUCHED, () -> false).isEmpty(),
                "every queued run re-requested each sweep under a backlog multiplied it");
    }

    @Test
    void onceTheWorkersTookEveryOlderRequestTheUntouchedRunsLostTheirsWhateverFlowsNow() {
        assertEquals(UNTOUCHED, StuckRequests.lost(UNTOUCHED, () -> true));
    }

    @Test
    void anUnmeasurableQueueRequestsNothingAgain() {
        assertTrue(StuckRequests.lost(UNTOUCHED, () -> {
            throw new IllegalStateException("Kafka away");
        }).isEmpty());
    }

    @Test
    void withNothingUntouchedKafkaIsNotAsked() {
        assertTrue(StuckRequests.lost(List.of(), () -> {
            throw new AssertionError("asked");
        }).isEmpty());
    }
}
