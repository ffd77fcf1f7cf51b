package dev.tollgate.callback.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The due poll's batch claim against claimers racing it: between its query and its bulk write, another replica
 * claims one delivery and attempts another to the end (same state, one attempt more). The batch takes neither, and
 * says exactly which it did take; a delivery claimed ahead and left waiting is renewed by its own token only.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@TestProfile(BatchClaimTest.NoPoll.class)
class BatchClaimTest {

    /**
     * Only the test claims: no background poll after the first, and deliveries become due when the test says. The
     * scheduler's poll still runs once as the application starts, so the tests claim "a day from now" with deliveries
     * due just before then: no real poll ever finds them due (it once claimed one first: the flake).
     */
    public static class NoPoll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.callbacks.dispatch.poll-interval", "1h",
                    "tollgate.callbacks.retry.schedule", "1h,1h,1h");
        }
    }

    @Inject
    DeliveryRepository deliveries;

    @Test
    void aBatchClaimTakesNothingAnotherClaimerTookBetweenItsQueryAndItsWrite() {
        String tag = UUID.randomUUID().toString();
        Instant now = aDayFromNow();
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            runs.add(due(tag, i, now));
        }
        String claimedMeanwhile = runs.get(1);
        String attemptedMeanwhile = runs.get(3);

        List<Delivery> claimed = deliveries.claimDue(now, 1000, d -> {
            if (!d.runId().startsWith(tag)) {
                return false;
            }
            // The race, as the query's answer is read: another replica claims one delivery, and claims, attempts and
            // records another (it is still due: a retry at once).
            if (d.runId().equals(claimedMeanwhile)) {
                assertNotNull(deliveries.claim(claimedMeanwhile, "other-replica", now, now.plusSeconds(60)));
            }
            if (d.runId().equals(attemptedMeanwhile)) {
                assertNotNull(deliveries.claim(attemptedMeanwhile, "other-replica", now, now.plusSeconds(60)));
                AttemptRecord attempt = new AttemptRecord();
                attempt.number = 1;
                attempt.attemptedAt = now;
                attempt.httpStatus = 503;
                attempt.error = "http_status: 503";
                attempt.result = DeliveryStatus.PENDING;
                attempt.nextAttemptAt = now.minusSeconds(1);
                assertTrue(deliveries.record(attemptedMeanwhile, "other-replica", attempt, 1,
                        new PendingOutcome("msg_" + attemptedMeanwhile + ":1", "{}")));
            }
            return true;
        }, "batch-token", now.plusSeconds(60));

        Set<String> taken = claimed.stream().map(d -> d.runId).collect(Collectors.toSet());
        assertEquals(Set.of(runs.get(0), runs.get(2), runs.get(4)), taken);
        for (String runId : taken) {
            assertEquals("batch-token", deliveries.findById(runId).leaseToken);
        }
        assertEquals("other-replica", deliveries.findById(claimedMeanwhile).leaseToken, "its claim stands");
        assertNull(deliveries.findById(attemptedMeanwhile).leaseToken,
                "attempted meanwhile: as read it was one attempt behind, so the batch left it for the next poll");
        assertTrue(claimed.stream().allMatch(d -> "batch-token".equals(d.leaseToken) && d.leaseUntil != null),
                "the claimed deliveries say they hold the claim");
    }

    @Test
    void aClaimIsRenewedByItsOwnTokenAndByNoOtherWhileItHolds() {
        Instant now = aDayFromNow();
        String runId = due(UUID.randomUUID().toString(), 0, now);
        assertNotNull(deliveries.claim(runId, "holder", now, now.plusSeconds(60)));
        assertNull(deliveries.claim(runId, "stranger", now, now.plusSeconds(60)), "held by another token");
        Delivery renewed = deliveries.claim(runId, "holder", now, now.plusSeconds(120));
        assertNotNull(renewed, "renewed by the token that holds it");
        assertEquals("holder", renewed.leaseToken);
        assertEquals(now.plusSeconds(120).toEpochMilli(), renewed.leaseUntil.toEpochMilli());
    }

    private static Instant aDayFromNow() {
        return Instant.now().plus(Duration.ofDays(1));
    }

    /** A pending delivery, due a second before {@code now}, nobody's claim. */
    private String due(String tag, int i, Instant now) {
        String runId = tag + "-" + i;
        Delivery d = new Delivery();
        d.runId = runId;
        d.webhookId = Delivery.webhookIdOf(runId);
        d.userId = "claim-user";
        d.url = "https://receiver.example/hook";
        d.lane = "https://receiver.example:443";
        d.body = "{}";
        d.eventType = "run.completed";
        d.status = DeliveryStatus.PENDING;
        d.createdAt = Instant.now();
        d.nextAttemptAt = now.minusSeconds(1);
        deliveries.persist(d);
        return runId;
    }
}
