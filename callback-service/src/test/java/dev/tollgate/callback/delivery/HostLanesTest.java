package dev.tollgate.callback.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;

/** Lanes with a hand-cranked executor: a started attempt stays "in flight" until the test runs it. */
class HostLanesTest {

    final ArrayDeque<Runnable> started = new ArrayDeque<>();
    final Executor manual = started::add;
    final List<String> attempted = new ArrayList<>();
    final HostLanes<Object> lanes = new HostLanes<>(2, 3, manual, (lane, run, job) -> attempted.add(lane + " " + run));

    @Test
    void aBusyReceiverHoldsUpOnlyItsOwnLane() {
        lanes.offer("https://slow:443", "r1");
        lanes.offer("https://slow:443", "r2");
        lanes.offer("https://slow:443", "r3");
        lanes.offer("https://fast:443", "r4");
        assertEquals(2, lanes.inFlight("https://slow:443"), "the per-host limit");
        assertEquals(1, lanes.inFlight("https://fast:443"), "another receiver is not held up");
        assertEquals(3, started.size(), "r3 waits in its lane");
    }

    @Test
    void aFinishedAttemptStartsTheNextWaitingOneInOrder() {
        lanes.offer("h", "r1");
        lanes.offer("h", "r2");
        lanes.offer("h", "r3");
        lanes.offer("h", "r4");
        started.poll().run();
        assertEquals(List.of("h r1"), attempted);
        assertEquals(2, lanes.inFlight("h"));
        started.poll().run();
        started.poll().run();
        started.poll().run();
        assertEquals(List.of("h r1", "h r2", "h r3", "h r4"), attempted);
        assertEquals(0, lanes.inFlight("h"));
    }

    @Test
    void aRunIsInALaneOnceAndAFullLaneRefuses() {
        assertTrue(lanes.offer("h", "r1"));
        assertFalse(lanes.offer("h", "r1"), "already in flight");
        lanes.offer("h", "r2");
        assertTrue(lanes.offer("h", "r3"));
        assertTrue(lanes.offer("h", "r4"));
        assertTrue(lanes.offer("h", "r5"));
        assertFalse(lanes.offer("h", "r6"), "three may wait; the store keeps the rest due");
        assertFalse(lanes.offer("h", "r3"), "already waiting");
        started.poll().run();
        assertTrue(lanes.offer("h", "r1"), "finished, so it may come again (a retry)");
    }

    @Test
    void anAttemptThatThrowsStillFreesItsSlot() {
        HostLanes<Object> failing = new HostLanes<>(1, 10, manual, (lane, run, job) -> {
            throw new IllegalStateException("boom");
        });
        failing.offer("h", "r1");
        failing.offer("h", "r2");
        try {
            started.poll().run();
        } catch (IllegalStateException expected) {
            // the slot is released in finally
        }
        assertEquals(1, started.size(), "r2 started after r1 failed");
    }
}
