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
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The relay publishes what it read and then removes exactly that: an outcome recorded while the relay is publishing
 * (the next attempt of the same delivery) stays for the next flush instead of vanishing unpublished.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@TestProfile(OutcomeRelayTest.NoSweep.class)
class OutcomeRelayTest {

    /** Only this test's calls flush, so the interleaving below is the one tested. */
    public static class NoSweep implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.callbacks.outbox-sweep-interval", "1h");
        }
    }

    @Inject
    OutcomeRelay relay;

    @Inject
    DeliveryRepository deliveries;

    @Test
    void anOutcomeAppendedWhileOthersArePublishedIsKeptForTheNextFlush() {
        String runId = "run-" + UUID.randomUUID();
        Delivery delivery = new Delivery();
        delivery.runId = runId;
        delivery.webhookId = Delivery.webhookIdOf(runId);
        delivery.userId = "relay-test";
        delivery.url = "https://receiver.example/hook";
        delivery.status = DeliveryStatus.PENDING;
        delivery.createdAt = Instant.now();
        delivery.pendingOutcomes = new ArrayList<>(List.of(outcome(runId, 1)));
        deliveries.persist(delivery);

        deliveries.mongoCollection().updateOne(Filters.eq("_id", runId),
                Updates.set(DeliveryRepository.RELAY_PENDING, true));

        List<Document> read = relay.pending(runId);
        // What recording the next attempt does: append its outcome and (re)set the mark in one update.
        deliveries.mongoCollection().updateOne(Filters.eq("_id", runId), Updates.combine(
                Updates.push("pendingOutcomes", outcome(runId, 2)), Updates.set(DeliveryRepository.RELAY_PENDING, true)));
        relay.removePublished(runId, read);
        deliveries.unmarkRelayPendingIfDrained(runId);

        assertEquals(List.of(Delivery.webhookIdOf(runId) + ":2"),
                relay.pending(runId).stream().map(d -> d.getString("_id")).toList());
        assertTrue(deliveries.withUnrelayedOutcomes(1000).contains(runId), "the sweep still finds the second outcome");
        relay.flush(runId);
        assertTrue(relay.pending(runId).isEmpty());
        assertFalse(deliveries.withUnrelayedOutcomes(1000).contains(runId), "nothing waits, so the mark is gone");
        try (Outcomes outcomes = new Outcomes(LocalStackTestResource.stack().kafkaBootstrap())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> outcomes.ofRun(runId).stream()
                    .anyMatch(o -> o.at("/data/attempt").asInt() == 2));
        }
    }

    private static PendingOutcome outcome(String runId, int attempt) {
        String id = Delivery.webhookIdOf(runId) + ":" + attempt;
        return new PendingOutcome(id, "{\"id\":\"" + id + "\",\"type\":\"callback.attempt\",\"subject\":\"" + runId
                + "\",\"data\":{\"run_id\":\"" + runId + "\",\"attempt\":" + attempt + ",\"status\":\"retrying\"}}");
    }
}
