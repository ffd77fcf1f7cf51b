package dev.tollgate.callback.outcomes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.tollgate.callback.delivery.Delivery;
import dev.tollgate.callback.delivery.DeliveryRepository;
import dev.tollgate.callback.delivery.DeliveryStatus;
import dev.tollgate.callback.delivery.PendingOutcome;
import dev.tollgate.callback.support.Outcomes;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The relay publishes what it was handed (or the sweep read) and then removes exactly that: an outcome recorded while
 * the relay is publishing (the next attempt of the same delivery) stays for the next round instead of vanishing
 * unpublished. Many deliveries' outcomes go out and are removed together, handed over or swept; the sweep relays an
 * outcome only when the sweep before found it waiting too.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@TestProfile(OutcomeRelayTest.NoSweep.class)
class OutcomeRelayTest {

    /**
     * Only this test's calls flush, so the interleaving below is the one tested; published outcomes wait 5 s for their
     * removal, long enough for every round of a test to fall within it on a slow machine.
     */
    public static class NoSweep implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.callbacks.outbox-sweep-interval", "1h",
                    "tollgate.callbacks.outbox-removal-delay", "PT5S");
        }
    }

    @Inject
    OutcomeRelay relay;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    MeterRegistry metrics;

    @Test
    void anOutcomeAppendedWhileOthersArePublishedIsKeptForTheNextFlush() {
        String runId = stored("appended", 1);
        PendingOutcome first = pending(runId).getFirst();

        // What recording the next attempt does while the first outcome is being published: append its outcome and
        // (re)set the mark in one update.
        deliveries.mongoCollection().updateOne(Filters.eq("_id", runId), Updates.combine(
                Updates.push("pendingOutcomes", outcome(runId, 2)), Updates.set(DeliveryRepository.RELAY_PENDING, true)));
        relay.publishAndRemove(List.of(new OutcomeRelay.Waiting(runId, first)));

        assertEquals(List.of(Delivery.webhookIdOf(runId) + ":2"), pending(runId).stream().map(o -> o.id).toList());
        assertTrue(deliveries.withUnrelayedOutcomes(1000).containsKey(runId), "the sweep still finds the second outcome");
        relay.sweep(); // finds it waiting (another replica's relay may be about to remove it)
        relay.sweep(); // still waiting an interval later: relayed
        assertTrue(pending(runId).isEmpty());
        assertFalse(deliveries.withUnrelayedOutcomes(1000).containsKey(runId), "nothing waits, so the mark is gone");
        try (Outcomes outcomes = new Outcomes(LocalStackTestResource.stack().kafkaBootstrap())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> outcomes.ofRun(runId).stream()
                    .map(o -> o.at("/data/attempt").asInt()).toList().equals(List.of(1, 2)));
        }
    }

    @Test
    void handedOverOutcomesOfManyDeliveriesArePublishedAndRemovedTogether() {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            runs.add(stored("handed-" + i, 1));
        }
        double writesBefore = removalWrites();
        // As attempts hand them over at a low rate: each published in a round of its own before the next comes.
        for (String runId : runs) {
            double published = metrics.counter("tollgate.callbacks.outcome.published").count();
            relay.relay(runId, pending(runId).getFirst());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> metrics.counter("tollgate.callbacks.outcome.published").count() > published);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> runs.stream().allMatch(r -> pending(r).isEmpty()));
        assertTrue(runs.stream().noneMatch(deliveries.withUnrelayedOutcomes(1000)::containsKey), "every mark removed");
        double writes = removalWrites() - writesBefore;
        assertTrue(writes <= 3, "50 rounds' removals, published within the removal delay, share bulk writes: " + writes);
        try (Outcomes outcomes = new Outcomes(LocalStackTestResource.stack().kafkaBootstrap())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> outcomes.ofRuns(runs).values().stream()
                    .allMatch(o -> o.size() == 1));
        }
    }

    @Test
    void theSweepPublishesWhatACrashLeftAcrossDeliveriesAndClearsLeftoverMarks() {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            runs.add(stored("left-" + i, 2));
        }
        // A relay that stopped between removing the last outcome and removing the mark.
        String markOnly = stored("mark-only", 0);

        relay.sweep();
        assertTrue(runs.stream().allMatch(r -> pending(r).size() == 2),
                "first found: left for now (another replica's relay may have them in hand)");
        relay.sweep();

        assertTrue(runs.stream().allMatch(r -> pending(r).isEmpty()));
        Map<String, List<PendingOutcome>> left = deliveries.withUnrelayedOutcomes(1000);
        assertTrue(runs.stream().noneMatch(left::containsKey));
        assertFalse(left.containsKey(markOnly), "a mark with nothing behind it is removed too");
        try (Outcomes outcomes = new Outcomes(LocalStackTestResource.stack().kafkaBootstrap())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> outcomes.ofRuns(runs).values().stream()
                    .allMatch(o -> o.size() == 2));
        }
    }

    private double removalWrites() {
        return metrics.counter("tollgate.callbacks.outcome.removal.writes").count();
    }

    /** A delivery with outcomes 1 to {@code outcomes} waiting and its mark set, as recording attempts leaves it. */
    private String stored(String tag, int outcomes) {
        String runId = "run-" + tag + "-" + UUID.randomUUID();
        List<PendingOutcome> waiting = new ArrayList<>();
        for (int n = 1; n <= outcomes; n++) {
            waiting.add(outcome(runId, n));
        }
        Delivery delivery = new Delivery();
        delivery.runId = runId;
        delivery.webhookId = Delivery.webhookIdOf(runId);
        delivery.userId = "relay-test";
        delivery.url = "https://receiver.example/hook";
        delivery.status = DeliveryStatus.PENDING;
        delivery.createdAt = Instant.now();
        delivery.pendingOutcomes = waiting;
        deliveries.persist(delivery);
        deliveries.mongoCollection().updateOne(Filters.eq("_id", runId),
                Updates.set(DeliveryRepository.RELAY_PENDING, true));
        return runId;
    }

    private List<PendingOutcome> pending(String runId) {
        return deliveries.findById(runId).pendingOutcomes;
    }

    private static PendingOutcome outcome(String runId, int attempt) {
        String id = Delivery.webhookIdOf(runId) + ":" + attempt;
        return new PendingOutcome(id, "{\"id\":\"" + id + "\",\"type\":\"callback.attempt\",\"subject\":\"" + runId
                + "\",\"data\":{\"run_id\":\"" + runId + "\",\"attempt\":" + attempt + ",\"status\":\"retrying\"}}");
    }
}
