package dev.tollgate.workflow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class FairRunQueueTest {

    @Test
    void aFloodingBudgetGetsOneTurnInEveryRoundLikeAnyOther() {
        FairRunQueue<String> queue = new FairRunQueue<>();
        for (int i = 0; i < 1000; i++) {
            queue.add("A", 0, "a" + i);
        }
        queue.add("B", 0, "b0");
        queue.add("B", 0, "b1");
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            FairRunQueue.Taken<String> taken = queue.next().orElseThrow();
            order.add(taken.request());
            queue.ended(taken.budget());
        }
        assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "a3"), order);
        assertEquals(996, queue.size());
    }

    @Test
    void aBudgetAtItsLimitWaitsForOneOfItsRunsToEndWhileOthersGoOn() {
        FairRunQueue<String> queue = new FairRunQueue<>();
        queue.add("A", 2, "a0");
        queue.add("A", 2, "a1");
        queue.add("A", 2, "a2");
        queue.add("B", 0, "b0");
        assertEquals("a0", queue.next().orElseThrow().request());
        assertEquals("b0", queue.next().orElseThrow().request());
        assertEquals("a1", queue.next().orElseThrow().request());
        assertTrue(queue.next().isEmpty(), "A runs two, its limit; nobody else waits");
        assertEquals(2, queue.running("A"));
        queue.ended("A");
        assertEquals("a2", queue.next().orElseThrow().request());
        assertTrue(queue.next().isEmpty());
        assertEquals(0, queue.size());
    }

    @Test
    void theNewestRequestsLimitAppliesToAllOfItsBudget() {
        FairRunQueue<String> queue = new FairRunQueue<>();
        queue.add("A", 0, "a0");
        queue.add("A", 0, "a1");
        queue.add("A", 1, "a2"); // an admin set a limit of 1 meanwhile
        assertEquals("a0", queue.next().orElseThrow().request());
        assertTrue(queue.next().isEmpty());
    }

    @Test
    void requestsOfPartitionsThatWentElsewhereAreDropped() {
        FairRunQueue<String> queue = new FairRunQueue<>();
        queue.add("A", 0, "p0-a");
        queue.add("A", 0, "p1-a");
        queue.add("B", 0, "p1-b");
        assertEquals(List.of("p1-a", "p1-b"), queue.removeIf(r -> r.startsWith("p1")).stream().sorted().toList());
        assertEquals(1, queue.size());
        assertEquals("p0-a", queue.next().orElseThrow().request());
        assertTrue(queue.next().isEmpty());
    }
}
