package dev.tollgate.platform.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's logic against a store held in memory and a sender that acknowledges at once (or refuses the events
 * told to fail): what is published, what removed and when, what the sweep leaves alone.
 */
class EventRelayTest {

    private final OutboxInMemory store = new OutboxInMemory();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private EventRelay<String, String> relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.stop();
        }
    }

    @Test
    void handedOverEventsArePublishedUnmarkedThenRemovedAndLeaveTheRelaysHands() {
        started(settings(Duration.ZERO));
        store.write("run-1", "a", "b");

        relay.handOver("run-1", List.of("a", "b"));

        eventually(() -> store.waiting("run-1").isEmpty() && !relay.relaying("run-1"));
        assertEquals(List.of(new Sent("run-1", "a", false), new Sent("run-1", "b", false)), store.sent);
        assertEquals(2.0, counter("published"));
        assertEquals(1.0, counter("removal.writes"));
    }

    @Test
    void removalsOfManyRoundsWithinTheRemovalDelayShareOneBulkWrite() {
        started(settings(Duration.ofSeconds(2)));
        for (int i = 0; i < 5; i++) {
            String owner = "run-" + i;
            store.write(owner, owner + ":end");
            relay.handOver(owner, List.of(owner + ":end"));
            int sent = i + 1;
            eventually(() -> store.sent.size() == sent); // each in a round of its own
            assertTrue(relay.relaying(owner), "published, in hand until removed: the sweep leaves it alone");
        }

        eventually(() -> store.removals.size() == 1);
        assertEquals(Set.of("run-0", "run-1", "run-2", "run-3", "run-4"), store.removals.getFirst().keySet());
        eventually(() -> List.of("run-0", "run-1", "run-2", "run-3", "run-4").stream().noneMatch(relay::relaying));
    }

    @Test
    void anOwnerWhoseSendFailedKeepsItsEventsForTheSweepAndLeavesTheRelaysHandsAtOnce() {
        started(settings(Duration.ofSeconds(30)));
        store.write("ok", "ok:1");
        store.write("failing", "failing:1", "failing:2");
        store.failing.add("failing:2");

        relay.handOver("ok", List.of("ok:1"));
        relay.handOver("failing", List.of("failing:1", "failing:2"));

        eventually(() -> !relay.relaying("failing") && store.sent.size() == 3);
        assertTrue(relay.relaying("ok"), "the published owner waits for its removal");
        assertEquals(List.of("failing:1", "failing:2"), store.waiting("failing"));
        assertEquals(1.0, counter("published"), "only acknowledged events count");
    }

    @Test
    void keptEventsArePublishedAndLeftAndTheFailedOnesAreReportedForARetry() {
        started(settings(Duration.ZERO));
        store.write("queued", "queued:requested");
        store.write("lost", "lost:requested");
        store.failing.add("lost:requested");

        relay.handOverKept("queued", List.of("queued:requested"));
        relay.handOverKept("lost", List.of("lost:requested"));

        eventually(() -> !relay.relaying("queued") && !relay.relaying("lost"));
        assertEquals(List.of("queued:requested"), store.waiting("queued"), "left for the write that answers it");
        assertTrue(store.removals.isEmpty(), "nothing to remove");
        assertEquals(List.of("lost"), relay.takeUnpublishedKept());
        assertEquals(List.of(), relay.takeUnpublishedKept(), "taken once");
    }

    @Test
    void aHandOverMayWaitForItsOwnersNextOneAndThenBothGoInOneRoundAndOneRemoval() {
        started(settings(Duration.ZERO).withHoldUntilNext(Duration.ofSeconds(30), 100));
        store.write("run", "run:started");

        relay.handOverUntilNext("run", List.of("run:started"));
        sleep(300);
        assertTrue(store.sent.isEmpty(), "held: nothing sent while the owner's next hand-over has not come");
        assertTrue(relay.relaying("run"));

        store.write("run", "run:completed");
        relay.handOver("run", List.of("run:completed"));

        eventually(() -> store.waiting("run").isEmpty() && !relay.relaying("run"));
        assertEquals(List.of("run:started", "run:completed"), store.sent.stream().map(Sent::event).toList());
        assertEquals(List.of(Map.of("run", List.of("run:started", "run:completed"))), store.removals);
    }

    @Test
    void aHeldHandOverGoesAloneOnceItsHoldIsOver() {
        started(settings(Duration.ZERO).withHoldUntilNext(Duration.ofMillis(200), 100));
        store.write("run", "run:started");

        relay.handOverUntilNext("run", List.of("run:started"));

        eventually(() -> store.waiting("run").isEmpty() && !relay.relaying("run"));
        assertEquals(List.of("run:started"), store.sent.stream().map(Sent::event).toList());
    }

    @Test
    void handOversBeyondTheBoundAreLeftToTheSweep() {
        relay = new EventRelay<>(store, settings(Duration.ZERO).withHandOverBound(2), metrics); // not started
        assertTrue(relay.handOver("a", List.of("a:1")));
        assertTrue(relay.handOver("b", List.of("b:1")));
        assertFalse(relay.handOver("c", List.of("c:1")));
        assertFalse(relay.relaying("c"));
    }

    @Test
    void theSweepPublishesMarkedOnlyWhatTheSweepBeforeFoundWaitingTooAndLeavesHandedOverOwnersAlone() {
        relay = new EventRelay<>(store, settings(Duration.ZERO), metrics); // no relay thread: hand-overs stay in hand
        store.write("left", "left:1");
        store.write("held", "held:1");
        store.write("drained");
        relay.handOver("held", List.of("held:1"));

        relay.sweep();
        assertTrue(store.sent.isEmpty(), "first sighting: maybe another process's, about to be removed");
        assertEquals(List.of(Map.of("drained", List.of())), store.removals, "a flag with nothing behind it is cleared");

        store.write("left", "left:2"); // appended since: not seen by the sweep before
        relay.sweep();
        assertEquals(List.of(new Sent("left", "left:1", true)), store.sent, "only what was seen before, marked");
        assertEquals(List.of("left:2"), store.waiting("left"));
        assertEquals(List.of("held:1"), store.waiting("held"), "in the relay's hands: not swept");

        relay.sweep();
        assertEquals(List.of("left:1", "left:2"), store.sent.stream().map(Sent::event).toList());
        assertTrue(store.waiting("left").isEmpty());
    }

    @Test
    void theSweepPublishesOnlyTheOwnersItClaimed() {
        relay = new EventRelay<>(store, settings(Duration.ZERO), metrics);
        store.write("mine", "mine:1");
        store.write("theirs", "theirs:1");
        store.claimedElsewhere.add("theirs");

        relay.sweep();
        relay.sweep();

        assertEquals(List.of(new Sent("mine", "mine:1", true)), store.sent);
        assertEquals(List.of("theirs:1"), store.waiting("theirs"));
    }

    @Test
    void stoppingRemovesWhatWasPublished() {
        started(settings(Duration.ofMinutes(5)));
        store.write("run", "run:1");
        relay.handOver("run", List.of("run:1"));
        eventually(() -> store.sent.size() == 1);

        relay.stop();

        assertTrue(store.waiting("run").isEmpty(), "removed on the way out, not left for the next start's sweep");
    }

    @Test
    void publishAndRemoveRemovesTheAcknowledgedOwnersAndReportsThem() {
        relay = new EventRelay<>(store, settings(Duration.ZERO), metrics);
        store.write("ok", "ok:1");
        store.write("failing", "failing:1");
        store.failing.add("failing:1");

        Map<String, List<String>> done = relay.publishAndRemove(
                Map.of("ok", List.of("ok:1"), "failing", List.of("failing:1")), false);

        assertEquals(Map.of("ok", List.of("ok:1")), done);
        assertTrue(store.waiting("ok").isEmpty());
        assertEquals(List.of("failing:1"), store.waiting("failing"));
    }

    private void started(EventRelay.Settings settings) {
        relay = new EventRelay<>(store, settings, metrics);
        relay.start();
    }

    private static EventRelay.Settings settings(Duration removalDelay) {
        return EventRelay.Settings.of("test-relay", 500, removalDelay, "published", "removal.writes");
    }

    private double counter(String name) {
        return metrics.counter(name).count();
    }

    private static void eventually(BooleanSupplier condition) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within 10 s");
            }
            sleep(10);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    record Sent(String owner, String event, boolean republished) {
    }

    /** Owners' outboxes in memory; an event is its own id; the events in {@code failing} are refused by "Kafka". */
    static final class OutboxInMemory implements OutboxStore<String, String> {
        final Map<String, List<String>> outboxes = new ConcurrentHashMap<>();
        final List<Sent> sent = new CopyOnWriteArrayList<>();
        final List<Map<String, List<String>>> removals = new CopyOnWriteArrayList<>();
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        final Set<String> claimedElsewhere = ConcurrentHashMap.newKeySet();

        void write(String owner, String... events) {
            outboxes.computeIfAbsent(owner, o -> new CopyOnWriteArrayList<>()).addAll(List.of(events));
        }

        List<String> waiting(String owner) {
            return List.copyOf(outboxes.getOrDefault(owner, List.of()));
        }

        @Override
        public CompletableFuture<Void> send(String owner, String event, boolean republished) {
            sent.add(new Sent(owner, event, republished));
            return failing.contains(event) ? CompletableFuture.failedFuture(new IllegalStateException("refused"))
                    : CompletableFuture.completedFuture(null);
        }

        @Override
        public int removePublished(Map<String, List<String>> published) {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            published.forEach((owner, events) -> {
                copy.put(owner, List.copyOf(events));
                List<String> outbox = outboxes.get(owner);
                if (outbox != null) {
                    outbox.removeAll(events);
                    if (outbox.isEmpty()) {
                        outboxes.remove(owner);
                    }
                }
            });
            removals.add(copy);
            return 1;
        }

        @Override
        public Map<String, List<String>> waitingForSweep(int limit) {
            Map<String, List<String>> found = new LinkedHashMap<>();
            outboxes.entrySet().stream().sorted(Map.Entry.comparingByKey()).limit(limit)
                    .forEach(e -> found.put(e.getKey(), new ArrayList<>(e.getValue())));
            return found;
        }

        @Override
        public Object eventId(String event) {
            return event;
        }

        @Override
        public List<String> claimForSweep(Collection<String> owners) {
            return owners.stream().filter(o -> !claimedElsewhere.contains(o)).toList();
        }
    }
}
