package dev.tollgate.workflow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.tollgate.workflow.runs.Run;
import org.junit.jupiter.api.Test;

/** A queued run is requested again only when no request waits for a worker: a backlog is not a lost request. */
class StuckRequestsTest {

    private static final List<Run> UNTOUCHED = List.of(new Run(), new Run());

    @Test
    void behindABacklogNoQueuedRunIsRequestedAgain() {
        assertTrue(StuckRequests.lost(UNTOUCHED, () -> 1_500).isEmpty(),
                "every queued run re-requested each sweep under a backlog multiplied it");
    }

    @Test
    void onceTheWorkersTookEveryRequestTheUntouchedRunsLostTheirs() {
        assertEquals(UNTOUCHED, StuckRequests.lost(UNTOUCHED, () -> 0));
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
