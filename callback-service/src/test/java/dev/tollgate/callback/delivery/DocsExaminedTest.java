package dev.tollgate.callback.delivery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.tollgate.callback.intake.DeliveryIntake;
import dev.tollgate.callback.intake.TerminalRun;
import dev.tollgate.callback.outcomes.OutcomeRelay;
import dev.tollgate.callback.signing.SigningSecret;
import dev.tollgate.callback.signing.SigningSecrets;
import dev.tollgate.callback.support.Receiver;
import dev.tollgate.callback.support.StoredHistory;
import dev.tollgate.localstack.testing.DocsExamined;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every store operation of the service reads only what it needs, however much history the collections hold: with
 * {@value #HISTORY} ended deliveries (with their attempts), {@value #RETRYING} deliveries retrying hours from now and
 * {@value #HISTORY} signing secrets written straight into the store, each real operation (intake, claim, attempt,
 * recording it, outcome relay, the due poll, the outbox sweep, the admin API, signing secrets) examines a handful of
 * documents, counted by the embedded store as MongoDB's {@code totalDocsExamined}. A scan of either collection would
 * examine over ten thousand.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@TestProfile(DocsExaminedTest.OnlyWhatTheTestRuns.class)
class DocsExaminedTest {

    static final int HISTORY = 10_000;
    static final int RETRYING = 1_000;
    static final String DELIVERIES = "deliveries";
    static final String SECRETS = "signing_secrets";
    static final String ADMIN = TestTokens.admin("ops");

    /**
     * No background poll or sweep, and a first attempt an hour after intake: every document examined while a
     * measurement runs is examined by the operation measured (the tests make deliveries due when they want them).
     */
    public static class OnlyWhatTheTestRuns implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.callbacks.dispatch.poll-interval", "1h",
                    "tollgate.callbacks.outbox-sweep-interval", "1h",
                    "tollgate.callbacks.retry.schedule", "1h,1h,1h");
        }
    }

    static boolean seeded;
    static Receiver receiver;

    @Inject
    DeliveryIntake intake;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    DeliveryAttempts attempts;

    @Inject
    OutcomeEvents outcomeEvents;

    @Inject
    OutcomeRelay relay;

    @Inject
    SigningSecrets secrets;

    MongoDatabase db;

    @BeforeEach
    void history() {
        db = deliveries.mongoDatabase();
        if (!seeded) {
            StoredHistory.write(db, HISTORY, RETRYING);
            seeded = true;
        }
    }

    @BeforeAll
    static void startReceiver() {
        receiver = Receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void intakeStoresTheDeliveryWithoutReadingOthers() {
        AtomicReference<String> runId = new AtomicReference<>();
        long examined = DocsExamined.during(db, DELIVERIES, () -> runId.set(open("/intake")));

        Delivery stored = deliveries.findById(runId.get());
        assertEquals(DeliveryStatus.PENDING, stored.status);
        assertTrue(stored.nextAttemptAt.isAfter(Instant.now()), "the profile puts the first attempt an hour out");
        assertAtMost(1, examined, "intake (an insert)");

        long replay = DocsExamined.during(db, DELIVERIES, () -> assertFalse(intake.open(run(runId.get(), "/intake"))));
        assertAtMost(1, replay, "a replayed event (a duplicate key on _id)");
    }

    @Test
    void claimAndRecordReadOnlyTheirDelivery() {
        String runId = open("/claim");
        makeDue(runId);
        Instant now = Instant.now();

        Delivery claimed = measured(2, "claim", () -> deliveries.claim(runId, "token-1", now, now.plusSeconds(60)));
        assertNotNull(claimed);
        assertNull(measured(2, "a claim on a held delivery", () -> deliveries.claim(runId, "token-2", now,
                now.plusSeconds(60))));

        AttemptRecord attempt = new AttemptRecord();
        attempt.number = 1;
        attempt.attemptedAt = now;
        attempt.durationMs = 12;
        attempt.httpStatus = 204;
        attempt.result = DeliveryStatus.DELIVERED;
        PendingOutcome outcome = outcomeEvents.attempted(claimed, attempt);
        assertTrue(measured(2, "recording an attempt", () -> deliveries.record(runId, "token-1", attempt, 1,
                outcome)));
        assertEquals(Boolean.TRUE, raw(runId).getBoolean(DeliveryRepository.RELAY_PENDING),
                "the outcome's mark is set with the attempt");

        long relayed = DocsExamined.during(db, DELIVERIES,
                () -> relay.publishAndRemove(List.of(new OutcomeRelay.Waiting(runId, outcome))));
        assertTrue(raw(runId).getList("pendingOutcomes", Document.class).isEmpty(), "published and removed");
        assertFalse(raw(runId).containsKey(DeliveryRepository.RELAY_PENDING), "the mark goes with the last outcome");
        assertAtMost(1, relayed, "the outcome relay: one update, conditional on the list being what was published, "
                + "empties it and removes the mark; nothing read back");
    }

    @Test
    void aWholeAttemptReadsOnlyItsDeliveryAndItsOwnersSecret() {
        String runId = open("/attempt");
        makeDue(runId);
        long secretsBefore = DocsExamined.inCollection(db, SECRETS);

        // The attempt hands its outcome to the relay thread, which removes it right after: waited for, and counted.
        AtomicInteger polls = new AtomicInteger();
        long examined = DocsExamined.during(db, DELIVERIES, () -> {
            assertTrue(attempts.attempt(runId).isEmpty());
            awaitRelayed(runId, polls);
        });

        assertEquals(1, receiver.at("/attempt").size());
        Document after = raw(runId);
        assertEquals("DELIVERED", after.getString("status"));
        assertTrue(after.getList("pendingOutcomes", Document.class).isEmpty());
        // claim, record, then the relay's removal and unmark: one document each (the test's own reads while it
        // waits, one document each, are not the service's).
        assertAtMost(4, examined - polls.get(), "an attempt (claim, POST, record, relay)");
        assertAtMost(2, DocsExamined.inCollection(db, SECRETS) - secretsBefore, "the owner's signing secret");
    }

    @Test
    void anAttemptOfADeliveryCreatedClaimedNeitherClaimsNorReadsIt() {
        String runId = "run-" + UUID.randomUUID();
        Instant now = Instant.now();
        Delivery claimed = intake.prepare(List.of(run(runId, "/created-claimed"))).getFirst();
        // As intake creates a delivery whose first attempt is due at once (the profile's schedule waits an hour).
        claimed.nextAttemptAt = now;
        claimed.leaseToken = "intake-token";
        claimed.leaseUntil = now.plusSeconds(60);
        long created = DocsExamined.during(db, DELIVERIES,
                () -> assertEquals(List.of(claimed), deliveries.createAll(List.of(claimed), false)));
        assertAtMost(1, created, "creating it claimed (an insert)");

        AtomicInteger polls = new AtomicInteger();
        long examined = DocsExamined.during(db, DELIVERIES, () -> {
            assertTrue(attempts.attempt(claimed).isEmpty());
            awaitRelayed(runId, polls);
        });

        assertEquals(1, receiver.at("/created-claimed").size());
        assertEquals("DELIVERED", raw(runId).getString("status"));
        assertNull(raw(runId).get("leaseToken"), "recording released the claim");
        // The record, then the relay's removal and unmark: no claim, no read.
        assertAtMost(3, examined - polls.get(), "the attempt of a delivery created claimed");
    }

    @Test
    void theDuePollReadsTheDueDeliveriesAndThoseInFlightOnly() {
        Instant now = Instant.now();
        List<String> due = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String runId = open("/poll");
            makeDue(runId);
            due.add(runId);
        }
        // Claimed by a replica that died: its lease ran out, so the poll must find it.
        String crashed = open("/poll");
        makeDue(crashed);
        deliveries.mongoCollection().updateOne(Filters.eq("_id", crashed), Updates.combine(
                Updates.set("leaseToken", "dead-replica"), Updates.set("leaseUntil", Date.from(now.minusSeconds(5)))));
        due.add(crashed);
        // Being attempted right now: not due for the poll.
        String inFlight = open("/poll");
        makeDue(inFlight);
        assertNotNull(deliveries.claim(inFlight, "live-replica", now, now.plusSeconds(60)));

        // The query reads the due ones and the one in flight; the bulk write claims each due one by its id.
        List<Delivery> found = measured(2L * due.size() + 2, "the due poll's batch claim",
                () -> deliveries.claimDue(Instant.now(), 1000, d -> true, "poll-token", Instant.now().plusSeconds(60)));

        Set<String> ids = found.stream().map(d -> d.runId).collect(Collectors.toSet());
        assertTrue(ids.containsAll(due), "every due delivery, the crashed claim's too: " + ids);
        assertFalse(ids.contains(inFlight), "not one a live claim holds");
        assertEquals("http://127.0.0.1:" + receiver.port(),
                found.stream().filter(d -> d.runId.equals(crashed)).findFirst().orElseThrow().lane);
        for (String runId : due) {
            assertEquals("poll-token", raw(runId).getString("leaseToken"), "claimed by the batch");
        }
        assertEquals("live-replica", raw(inFlight).getString("leaseToken"));
        assertTrue(measured(due.size() + 2, "a second claim while the first holds them (reads, claims nothing)",
                () -> deliveries.claimDue(Instant.now(), 1000, d -> true, "other-token",
                        Instant.now().plusSeconds(60))).isEmpty(), "nothing is claimed twice");

        // Nobody else may attempt them later (they are this test's): end them.
        List<String> mine = new ArrayList<>(due);
        mine.add(inFlight);
        deliveries.mongoCollection().updateMany(Filters.in("_id", mine),
                Updates.combine(Updates.set("status", "FAILED"), Updates.set("nextAttemptAt", null)));
        assertAtMost(2, DocsExamined.during(db, DELIVERIES, () -> deliveries.claimDue(Instant.now(), 1000, d -> true,
                "idle-token", Instant.now().plusSeconds(60))), "the due poll with nothing due (the retries hours away are not read)");
    }

    @Test
    void theOutboxSweepReadsOnlyDeliveriesWithWaitingOutcomes() {
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String runId = open("/sweep");
            makeDue(runId);
            Instant now = Instant.now();
            Delivery claimed = deliveries.claim(runId, "sweep-token", now, now.plusSeconds(60));
            AttemptRecord attempt = new AttemptRecord();
            attempt.number = 1;
            attempt.attemptedAt = now;
            attempt.durationMs = 3;
            attempt.httpStatus = 503;
            attempt.error = "http_status: 503";
            attempt.result = DeliveryStatus.PENDING;
            attempt.nextAttemptAt = now.plus(Duration.ofHours(1));
            // As if the process died right after recording: the outcome waits for the sweep.
            assertTrue(deliveries.record(runId, "sweep-token", attempt, 1, outcomeEvents.attempted(claimed, attempt)));
            waiting.add(runId);
        }

        // The first sighting leaves them (another replica's relay may be about to remove them); the second relays: per
        // delivery found, read (with its outcomes), removal and unmark.
        assertAtMost(waiting.size(), DocsExamined.during(db, DELIVERIES, relay::sweep), "the sweep sighting two");
        long examined = DocsExamined.during(db, DELIVERIES, relay::sweep);

        for (String runId : waiting) {
            assertTrue(raw(runId).getList("pendingOutcomes", Document.class).isEmpty(), "published by the sweep");
            assertFalse(raw(runId).containsKey(DeliveryRepository.RELAY_PENDING));
        }
        assertAtMost(waiting.size() * 3L, examined, "the outbox sweep relaying two deliveries");
        assertAtMost(0, DocsExamined.during(db, DELIVERIES, relay::sweep), "the outbox sweep with nothing waiting");
    }

    @Test
    void theAdminApiReadsOnePageOrOneDelivery() {
        String newest = open("/admin");

        long all = DocsExamined.during(db, DELIVERIES, () -> list(null, 50).body("data.deliveries", hasSize(50))
                .body("data.deliveries[0].run_id", equalTo(newest)));
        assertAtMost(51, all, "the first page of every delivery");
        long failed = DocsExamined.during(db, DELIVERIES, () -> list("failed", 50)
                .body("data.deliveries", hasSize(50)).body("data.deliveries.status", everyItem(equalTo("failed"))));
        assertAtMost(51, failed, "the first page of failed deliveries");
        long pending = DocsExamined.during(db, DELIVERIES, () -> list("pending", 20)
                .body("data.deliveries", hasSize(20)).body("data.deliveries[0].run_id", equalTo(newest)));
        assertAtMost(21, pending, "the first page of pending deliveries");

        long one = DocsExamined.during(db, DELIVERIES, () -> given().auth().oauth2(ADMIN)
                .get("/admin/callbacks/" + StoredHistory.endedId(7)).then().statusCode(200)
                .body("data.delivery.attempts", hasSize(StoredHistory.attemptsOf(7))));
        assertAtMost(1, one, "one delivery with its attempts");
        long now = DocsExamined.during(db, DELIVERIES, () -> given().auth().oauth2(ADMIN)
                .post("/admin/callbacks/" + newest + "/redeliver").then().statusCode(202));
        assertAtMost(6, now, "a redelivery of a pending delivery (read, the restart that does not apply to it, the "
                + "update bringing its attempt forward, and that attempt's claim and record if they come within the "
                + "call): by _id, never the other deliveries");
    }

    @Test
    void signingSecretsAreReadByOwnerOnly() {
        String user = "secret-user-" + UUID.randomUUID();
        SigningSecret created = measuredIn(SECRETS, 1, "a first secret (an upsert)", () -> secrets.forUser(user));
        assertEquals(created.secret, measuredIn(SECRETS, 1, "reading a secret", () -> secrets.forUser(user)).secret);
        SigningSecret rotated = measuredIn(SECRETS, 3, "a rotation (read, conditional update)",
                () -> secrets.rotate(user));
        assertEquals(created.secret, rotated.previousSecret);
        assertEquals(StoredHistory.secretOf(42), measuredIn(SECRETS, 1, "a historical user's secret",
                () -> secrets.forUser(StoredHistory.userId(42))).secret);
    }

    /**
     * Waits until the relay thread removed the delivery's outcome and mark; counts its own reads (one document
     * each), so a measurement around it can leave them out.
     */
    private void awaitRelayed(String runId, AtomicInteger polls) {
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).until(() -> {
            polls.incrementAndGet();
            return !raw(runId).containsKey(DeliveryRepository.RELAY_PENDING);
        });
    }

    private ValidatableResponse list(String status, int limit) {
        var request = given().auth().oauth2(ADMIN).queryParam("limit", limit);
        if (status != null) {
            request.queryParam("status", status);
        }
        return request.get("/admin/callbacks").then().statusCode(200);
    }

    /** A terminal run through the real intake; its first attempt is an hour away (the profile's schedule). */
    private String open(String path) {
        String runId = "run-" + UUID.randomUUID();
        assertTrue(intake.open(run(runId, path)));
        return runId;
    }

    private static TerminalRun run(String runId, String path) {
        String body = "{\"success\":true,\"data\":{\"run\":{\"run_id\":\"" + runId
                + "\",\"status\":\"completed\",\"callback_url\":\"" + receiver.url(path) + "\"}}}";
        return new TerminalRun("evt-" + runId, "run.completed", runId, "docs-user", receiver.url(path), body);
    }

    /** Test set-up, not measured: brings the next attempt forward to now. */
    private void makeDue(String runId) {
        deliveries.mongoCollection().updateOne(Filters.eq("_id", runId),
                Updates.set("nextAttemptAt", Date.from(Instant.now().minusSeconds(1))));
    }

    private Document raw(String runId) {
        return deliveries.mongoCollection().withDocumentClass(Document.class).find(Filters.eq("_id", runId)).first();
    }

    private <T> T measured(long atMost, String what, Supplier<T> operation) {
        return measuredIn(DELIVERIES, atMost, what, operation);
    }

    private <T> T measuredIn(String collection, long atMost, String what, Supplier<T> operation) {
        AtomicReference<T> result = new AtomicReference<>();
        long examined = DocsExamined.during(db, collection, () -> result.set(operation.get()));
        assertAtMost(atMost, examined, what);
        return result.get();
    }

    private static void assertAtMost(long bound, long examined, String what) {
        assertTrue(examined <= bound, what + " examined " + examined + " documents (at most " + bound
                + " expected, with " + (HISTORY + RETRYING) + " unrelated deliveries in the store)");
    }
}
