package dev.tollgate.callback.intake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import dev.tollgate.callback.support.Receiver;
import dev.tollgate.callback.support.Receiver.Answer;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Kafka batch's deliveries stored together: one delivery per run (a run twice in the batch keeps its first event,
 * a run that already has its delivery keeps that one), each stored already claimed by this process and posted once
 * without claiming again; and a batch retried after a failed insert posts what its first try stored, but not what
 * someone else stored.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class DeliveryIntakeTest {

    static Receiver receiver;

    @Inject
    DeliveryIntake intake;

    @Inject
    DeliveryRepository deliveries;

    @BeforeAll
    static void startReceiver() {
        receiver = Receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void aBatchStoresOneClaimedDeliveryPerNewRunAndPostsEachOnce() {
        String existing = "run-" + UUID.randomUUID();
        assertTrue(intake.open(run(existing, "run.completed", "/batch/existing")));
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at("/batch/existing").size() == 1);
        receiver.on("/batch/slow", n -> Answer.hang(1500));
        String a = "run-" + UUID.randomUUID();
        String b = "run-" + UUID.randomUUID();

        int created = intake.store(intake.prepare(List.of(run(a, "run.completed", "/batch/slow"),
                run(b, "run.failed", "/batch/slow"), run(a, "run.cancelled", "/batch/slow"),
                run(existing, "run.failed", "/batch/existing-again"))), false);

        assertEquals(2, created, "a and b; the repeated a and the existing run change nothing");
        for (String runId : List.of(a, b)) {
            Delivery stored = deliveries.findById(runId);
            assertNotNull(stored.leaseToken, "stored claimed, its attempt under way: " + runId);
            assertTrue(stored.leaseToken.startsWith("intake-"));
        }
        assertEquals("run.completed", deliveries.findById(a).eventType, "the first event of a run wins");
        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries.findById(a).status == DeliveryStatus.DELIVERED
                && deliveries.findById(b).status == DeliveryStatus.DELIVERED);
        assertEquals(2, receiver.at("/batch/slow").size(), "one POST each");
        assertEquals(Set.of("msg_" + a, "msg_" + b), receiver.at("/batch/slow").stream()
                .map(r -> r.header("webhook-id")).collect(Collectors.toSet()));
        assertEquals(0, receiver.at("/batch/existing-again").size());
        assertEquals(1, deliveries.findById(existing).attemptsMade, "the existing delivery is untouched");
    }

    @Test
    void aRetriedBatchPostsWhatItsFailedFirstTryStoredButNotSomeoneElses() {
        String storedBefore = "run-" + UUID.randomUUID();
        String fresh = "run-" + UUID.randomUUID();
        String othersRun = "run-" + UUID.randomUUID();
        // Someone else's delivery of the same run (another replica's batch): stored under a different claim.
        List<Delivery> others = intake.prepare(List.of(run(othersRun, "run.completed", "/retry/others")));
        others.getFirst().leaseToken = "intake-another-replica";
        // Not due for an hour, so no poll takes it over while the test runs.
        others.getFirst().nextAttemptAt = Instant.now().plus(Duration.ofHours(1));
        deliveries.persist(others.getFirst());

        List<Delivery> prepared = intake.prepare(List.of(run(storedBefore, "run.completed", "/retry/before"),
                run(fresh, "run.completed", "/retry/fresh"), run(othersRun, "run.completed", "/retry/others")));
        // As if the first insert stored one delivery, then failed before answering.
        deliveries.persist(prepared.getFirst());

        assertEquals(2, intake.store(prepared, true), "what the first try stored, and the fresh one");

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at("/retry/before").size() == 1
                && receiver.at("/retry/fresh").size() == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries.findById(fresh).status == DeliveryStatus.DELIVERED);
        assertEquals(0, receiver.at("/retry/others").size(), "another replica's claim is left to it");
        assertEquals("intake-another-replica", deliveries.findById(othersRun).leaseToken);
    }

    private TerminalRun run(String runId, String type, String path) {
        String body = "{\"success\":true,\"data\":{\"run\":{\"run_id\":\"" + runId + "\",\"callback_url\":\""
                + receiver.url(path) + "\"}}}";
        return new TerminalRun("evt-" + runId + "-" + type, type, runId, "intake-user", receiver.url(path), body);
    }
}
