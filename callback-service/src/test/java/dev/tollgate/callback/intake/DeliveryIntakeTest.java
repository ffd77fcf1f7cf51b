package dev.tollgate.callback.intake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.tollgate.callback.delivery.Delivery;
import dev.tollgate.callback.delivery.DeliveryRepository;
import dev.tollgate.callback.delivery.DeliveryStatus;
import dev.tollgate.callback.support.OtherReplica;
import dev.tollgate.callback.support.Outcomes;
import dev.tollgate.callback.support.Receiver;
import dev.tollgate.callback.support.Receiver.Answer;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Kafka batch's deliveries posted first and stored together: one delivery per run (a run twice in the batch keeps
 * its first event, a run that already has its delivery keeps that one and is not posted), each stored once with its
 * first attempt when the POST finished within the wait, or claimed by its attempt still under way (a slow receiver),
 * which records itself; a failed first attempt is stored pending and retried; a replay consumed while its run is in
 * hand in another batch, or once it is stored, is not posted again; a batch whose insert is retried after a failure
 * counts what its first try stored, and a run someone else stored meanwhile keeps their delivery.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class DeliveryIntakeTest {

    static Receiver receiver;

    @Inject
    DeliveryIntake intake;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    MeterRegistry metrics;

    @BeforeAll
    static void startReceiver() {
        receiver = Receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void aFirstAttemptThatFinishesInTimeIsStoredWithItsDeliveryInOneInsert() {
        String a = "run-" + UUID.randomUUID();
        String b = "run-" + UUID.randomUUID();

        int created = intake.store(intake.start(intake.prepare(List.of(run(a, "run.completed", "/first/fast"),
                run(b, "run.failed", "/first/fast")))), false);

        assertEquals(2, created);
        assertEquals(2, receiver.at("/first/fast").size(), "posted before the insert returned");
        for (String runId : List.of(a, b)) {
            Delivery stored = deliveries.findById(runId);
            assertEquals(DeliveryStatus.DELIVERED, stored.status, "stored as its attempt left it: " + runId);
            assertEquals(1, stored.attemptsMade);
            assertEquals(1, stored.attempts.size());
            assertEquals(204, stored.attempts.getFirst().httpStatus);
            assertNotNull(stored.deliveredAt);
            assertNull(stored.leaseToken, "no claim left behind");
        }
        // The outcomes reached Kafka before the insert, so the deliveries were stored with nothing left to relay.
        for (String runId : List.of(a, b)) {
            assertTrue(deliveries.findById(runId).pendingOutcomes.isEmpty(), runId);
            assertFalse(deliveries.existing(List.of(runId)).isEmpty());
        }
        assertEquals(0, deliveries.withUnrelayedOutcomes(1000).keySet().stream()
                .filter(r -> r.equals(a) || r.equals(b)).count(), "not marked for the relay");
        try (Outcomes outcomes = new Outcomes(LocalStackTestResource.stack().kafkaBootstrap())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> outcomes.ofRun(a).size() == 1
                    && outcomes.ofRun(b).size() == 1);
            assertEquals("msg_" + a + ":1", outcomes.ofRun(a).getFirst().get("id").asText());
            assertEquals("delivered", outcomes.ofRun(a).getFirst().at("/data/status").asText());
        }
        assertEquals(2, receiver.at("/first/fast").size(), "one POST each");
    }

    @Test
    void aFailedFirstAttemptIsStoredPendingAndRetried() {
        receiver.on("/first/failing", n -> n == 1 ? Answer.status(503) : Answer.status(204));
        String runId = "run-" + UUID.randomUUID();

        assertEquals(1, intake.store(intake.start(intake.prepare(List.of(run(runId, "run.completed",
                "/first/failing")))), false));

        Delivery stored = deliveries.findById(runId);
        assertEquals(DeliveryStatus.PENDING, stored.status);
        assertEquals(1, stored.attemptsMade);
        assertEquals(503, stored.attempts.getFirst().httpStatus);
        assertNotNull(stored.nextAttemptAt, "the schedule's next wait");
        assertNull(stored.leaseToken);
        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries.findById(runId).status
                == DeliveryStatus.DELIVERED);
        assertEquals(2, deliveries.findById(runId).attemptsMade);
        assertEquals(2, receiver.at("/first/failing").size());
    }

    @Test
    void aSlowFirstAttemptIsStoredClaimedAndRecordsItselfAndAnExistingRunIsNotPosted() {
        String existing = "run-" + UUID.randomUUID();
        assertTrue(intake.open(run(existing, "run.completed", "/batch/existing")));
        assertEquals(1, receiver.at("/batch/existing").size());
        receiver.on("/batch/slow", n -> Answer.hang(1500));
        String a = "run-" + UUID.randomUUID();
        String b = "run-" + UUID.randomUUID();

        int created = intake.store(intake.start(intake.prepare(List.of(run(a, "run.completed", "/batch/slow"),
                run(b, "run.failed", "/batch/slow"), run(a, "run.cancelled", "/batch/slow"),
                run(existing, "run.failed", "/batch/existing-again")))), false);

        assertEquals(2, created, "a and b; the repeated a and the existing run change nothing");
        for (String runId : List.of(a, b)) {
            Delivery stored = deliveries.findById(runId);
            assertNotNull(stored.leaseToken, "stored claimed, its attempt under way: " + runId);
            assertTrue(stored.leaseToken.startsWith("intake-"));
            assertEquals(0, stored.attemptsMade);
        }
        assertEquals("run.completed", deliveries.findById(a).eventType, "the first event of a run wins");
        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries.findById(a).status == DeliveryStatus.DELIVERED
                && deliveries.findById(b).status == DeliveryStatus.DELIVERED);
        assertEquals(1, deliveries.findById(a).attemptsMade, "the attempt under way recorded itself, once");
        assertEquals(2, receiver.at("/batch/slow").size(), "one POST each");
        assertEquals(Set.of("msg_" + a, "msg_" + b), receiver.at("/batch/slow").stream()
                .map(r -> r.header("webhook-id")).collect(Collectors.toSet()));
        assertEquals(0, receiver.at("/batch/existing-again").size(), "a run with its delivery is not posted");
        assertEquals(1, deliveries.findById(existing).attemptsMade, "the existing delivery is untouched");
    }

    @Test
    void aFirstCopyIsPostedWithoutAReadAndOnlyAPossibleReplayIsReadFor() {
        String fresh = "run-" + UUID.randomUUID();
        double reads = replayReads();

        assertEquals(1, intake.store(intake.start(intake.prepare(List.of(run(fresh, "run.completed", "/fresh"))),
                Set.of(fresh)), false));
        assertEquals(reads, replayReads(), "a first copy: posted and stored without a read");
        assertEquals(0, intake.store(intake.start(intake.prepare(List.of(run(fresh, "run.failed", "/fresh"))),
                Set.of(fresh)), false), "a repeat that looks like a first copy: this process stored the run lately");
        assertEquals(reads, replayReads());
        assertEquals(1, receiver.at("/fresh").size(), "posted once");

        // A delivery another replica stored: unknown here, so a possible replay is read for and not posted again.
        String elsewhere = "run-" + UUID.randomUUID();
        OtherReplica.delivered(intake, deliveries, run(elsewhere, "run.completed", "/elsewhere"));
        assertEquals(0, intake.store(intake.start(intake.prepare(List.of(run(elsewhere, "run.completed",
                "/elsewhere")))), false));
        assertEquals(reads + 1, replayReads(), "one read, for the possible replay");
        assertEquals(0, receiver.at("/elsewhere").size(), "found by the read: not posted");
    }

    private double replayReads() {
        return metrics.counter(DeliveryIntake.REPLAY_READS).count();
    }

    @Test
    void aReplayConsumedWhileItsRunIsInHandOrOnceStoredIsNotPostedAgain() {
        String runId = "run-" + UUID.randomUUID();
        DeliveryIntake.Batch first = intake.start(intake.prepare(List.of(run(runId, "run.completed", "/in-hand"))));
        // The same event again, in a batch taken in parallel while the first is posting and not yet stored.
        DeliveryIntake.Batch replay = intake.start(intake.prepare(List.of(run(runId, "run.completed", "/in-hand"))));

        assertEquals(1, intake.store(first, false));
        assertEquals(0, intake.store(replay, false), "in hand elsewhere: neither posted nor stored");
        assertEquals(0, intake.store(intake.start(intake.prepare(List.of(run(runId, "run.failed", "/in-hand")))),
                false), "stored: known (stored lately here) or found by the read");
        assertEquals(1, receiver.at("/in-hand").size(), "posted once");
        assertEquals(1, deliveries.findById(runId).attemptsMade);
    }

    @Test
    void aRetriedInsertCountsWhatItsFirstTryStoredButNotSomeoneElses() {
        String mine = "run-" + UUID.randomUUID();
        String othersRun = "run-" + UUID.randomUUID();
        DeliveryIntake.Batch batch = intake.start(intake.prepare(List.of(run(mine, "run.completed", "/retry/mine"),
                run(othersRun, "run.completed", "/retry/others"))));
        // Another replica stored the same run meanwhile (its batch raced this one's): under its own claim, not due
        // for an hour, so no poll takes it over while the test runs.
        Delivery others = intake.prepare(List.of(run(othersRun, "run.completed", "/retry/others"))).getFirst();
        others.leaseToken = "intake-another-replica";
        others.nextAttemptAt = Instant.now().plus(Duration.ofHours(1));
        deliveries.persist(others);

        assertEquals(1, intake.store(batch, false), "the run someone else stored is theirs");
        // As if that insert stored its deliveries, then failed before answering: the retry finds them its own.
        assertEquals(1, intake.store(batch, true));

        assertEquals(DeliveryStatus.DELIVERED, deliveries.findById(mine).status);
        assertEquals(1, receiver.at("/retry/mine").size());
        assertEquals("intake-another-replica", deliveries.findById(othersRun).leaseToken);
        assertEquals(0, deliveries.findById(othersRun).attemptsMade, "their delivery keeps its own state");
    }

    private TerminalRun run(String runId, String type, String path) {
        String body = "{\"success\":true,\"data\":{\"run\":{\"run_id\":\"" + runId + "\",\"callback_url\":\""
                + receiver.url(path) + "\"}}}";
        return new TerminalRun("evt-" + runId + "-" + type, type, runId, "intake-user", receiver.url(path), body);
    }
}
