package dev.tollgate.callback.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.standardwebhooks.Webhook;
import dev.tollgate.callback.config.CallbackConfig;
import dev.tollgate.callback.intake.DeliveryIntake;
import dev.tollgate.callback.intake.TerminalRun;
import dev.tollgate.callback.support.OtherReplica;
import dev.tollgate.callback.support.Outcomes;
import dev.tollgate.callback.support.Receiver;
import dev.tollgate.callback.support.Receiver.Answer;
import dev.tollgate.callback.support.RunEvents;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delivery against the real local stack: lifecycle events published to Kafka as workflow-service publishes them, a
 * receiver on 127.0.0.1 (allowed in the test profile), signatures checked with the Standard Webhooks reference
 * library, outcomes read back from {@code callback.delivery.outcome}. The test profile compresses the retry schedule
 * to 0 s, 300 ms, 300 ms, 300 ms (four attempts) and the total timeout to 2 s.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class DeliveryTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CallbackConfig config;

    @Inject
    DeliveryIntake intake;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    MeterRegistry metrics;
    static Receiver receiver;
    static RunEvents events;
    static Outcomes outcomes;

    @BeforeAll
    static void start() {
        receiver = Receiver.start();
        events = new RunEvents(LocalStackTestResource.stack().kafkaBootstrap());
        outcomes = new Outcomes(LocalStackTestResource.stack().kafkaBootstrap());
    }

    @AfterAll
    static void stop() {
        receiver.close();
        events.close();
        outcomes.close();
    }

    @Test
    void aFinishedRunIsPostedOnceSignedWithTheOwnersSecretAndTheOutcomeIsPublished() throws Exception {
        String user = "u-" + UUID.randomUUID();
        ObjectNode run = RunEvents.endedRun(receiver.url("/hooks/first"), "completed");
        String runId = events.publish(run, user);

        Receiver.Received got = await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at("/hooks/first"),
                r -> !r.isEmpty()).getFirst();
        assertEquals(JSON.valueToTree(Map.of("success", true, "data", Map.of("run", run))), JSON.readTree(got.body()),
                "the body is the status endpoint's answer for the run");
        assertEquals("application/json", got.header("Content-Type"));
        assertEquals("msg_" + runId, got.header("webhook-id"));
        long timestamp = Long.parseLong(got.header("webhook-timestamp"));
        assertTrue(Math.abs(timestamp - Instant.now().getEpochSecond()) < 10, "a current unix timestamp");
        new Webhook(secretOf(user)).verify(got.body(), got.headers());

        List<JsonNode> published = await().atMost(Duration.ofSeconds(20)).until(() -> outcomes.ofRun(runId),
                o -> !o.isEmpty());
        JsonNode data = published.getFirst().get("data");
        assertEquals("callback.attempt", published.getFirst().get("type").asText());
        assertEquals(runId, published.getFirst().get("subject").asText());
        assertEquals("delivered", data.get("status").asText());
        assertEquals(204, data.get("http_status").asInt());
        assertTrue(data.get("error").isNull());
        assertEquals(data.get("attempted_at"), data.get("delivered_at"));
        assertEquals("msg_" + runId, data.get("delivery_id").asText());

        given().auth().oauth2(TestTokens.admin("ops")).get("/admin/callbacks/" + runId).then().statusCode(200)
                .body("data.delivery.status", org.hamcrest.Matchers.equalTo("delivered"))
                .body("data.delivery.attempts.size()", org.hamcrest.Matchers.equalTo(1))
                .body("data.delivery.attempts[0].http_status", org.hamcrest.Matchers.equalTo(204));
    }

    @Test
    void aRepublishedEventIsCheckedAgainstTheStoreAndAFirstCopyIsPostedWithoutARead() {
        // A run whose delivery another replica made: its event, published again by a sweep, must not be posted.
        ObjectNode theirs = RunEvents.endedRun(receiver.url("/hooks/republished"), "completed");
        String runId = theirs.get("run_id").asText();
        OtherReplica.delivered(intake, deliveries, new TerminalRun("evt-" + runId, "run.completed", runId, "u-again",
                receiver.url("/hooks/republished"), "{}"));
        double reads = replayReads();

        events.publishAgain(theirs, "u-again");
        ObjectNode after = RunEvents.endedRun(receiver.url("/hooks/republished-after"), "completed");
        events.publish(after, "u-again", "run.completed", "after:3", runId);
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at("/hooks/republished-after").size() == 1);
        assertEquals(0, receiver.at("/hooks/republished").size(), "found by the read: not posted");
        assertTrue(replayReads() >= reads + 1, "the marked record was read for");

        // Appended after the partition was assigned and unmarked: the first copy, posted without a read.
        double readsBefore = replayReads();
        ObjectNode fresh = RunEvents.endedRun(receiver.url("/hooks/first-copy"), "completed");
        events.publish(fresh, "u-again");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at("/hooks/first-copy").size() == 1);
        assertEquals(readsBefore, replayReads(), "no read for a first copy");
    }

    private double replayReads() {
        return metrics.counter(DeliveryIntake.REPLAY_READS).count();
    }

    @Test
    void aReplayedOrRepeatedTerminalEventMakesNoSecondDelivery() {
        ObjectNode run = RunEvents.endedRun(receiver.url("/hooks/replay"), "failed");
        String runId = events.publish(run, "u-replay");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at("/hooks/replay").size() == 1);
        events.publish(run, "u-replay");
        events.publish(run, "u-replay", "run.cancelled", runId + ":run.cancelled:1");
        // Another run's event under the same key is consumed after the replays: once it arrives, they were handled.
        ObjectNode after = RunEvents.endedRun(receiver.url("/hooks/replay-after"), "completed");
        events.publish(after, "u-replay", "run.completed", "after:1", runId);
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at("/hooks/replay-after").size() == 1);
        assertEquals(1, receiver.at("/hooks/replay").size(), "one delivery per run");
    }

    @Test
    void eventsThatNeedNoCallbackAreIgnored() {
        ObjectNode running = RunEvents.endedRun(receiver.url("/hooks/not-terminal"), "running");
        events.publish(running, "u-x");
        ObjectNode noUrl = RunEvents.endedRun(null, "completed");
        String silent = events.publish(noUrl, "u-x");
        ObjectNode after = RunEvents.endedRun(receiver.url("/hooks/ignored-after"), "completed");
        events.publish(after, "u-x", "run.completed", "after:2", running.get("run_id").asText());
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.at("/hooks/ignored-after").size() == 1);
        assertEquals(0, receiver.at("/hooks/not-terminal").size());
        given().auth().oauth2(TestTokens.admin("ops")).get("/admin/callbacks/" + silent).then().statusCode(404)
                .body("error", org.hamcrest.Matchers.equalTo("delivery_not_found"));
    }

    @Test
    void aReceiverThatIsDownGetsTheCallbackOnceItIsUpWithTheSameWebhookId() throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        // The receiver must come up between the second attempt and the fourth, 600 ms later. If this is the class's
        // first test, its first admin call signs the first token and starts RestAssured, which can take longer than
        // that on a cold JVM: made here, before the clock starts.
        attempts("warm-up");
        ObjectNode run = RunEvents.endedRun("http://127.0.0.1:" + port + "/hooks/later", "completed");
        String runId = events.publish(run, "u-later");
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(runId).size() >= 2);
        assertTrue(attempts(runId).getFirst().get("error").asText().startsWith("connect_failed"),
                attempts(runId).toString());
        try (Receiver late = Receiver.startOn(port)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "delivered".equals(delivery(runId).get("status").asText()));
            assertEquals(1, late.at("/hooks/later").size());
            assertEquals("msg_" + runId, late.at("/hooks/later").getFirst().header("webhook-id"));
            new Webhook(secretOf("u-later")).verify(late.at("/hooks/later").getFirst().body(),
                    late.at("/hooks/later").getFirst().headers());
        }
    }

    @Test
    void aReceiverThatAlwaysFailsGetsTheWholeScheduleThenTheDeliveryFails() {
        receiver.on("/hooks/broken", n -> Answer.status(500));
        String runId = events.publish(RunEvents.endedRun(receiver.url("/hooks/broken"), "failed"), "u-broken");
        await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(delivery(runId).get("status").asText()));
        assertEquals(4, receiver.at("/hooks/broken").size(), "the test schedule has four attempts");
        assertEquals(1, receiver.at("/hooks/broken").stream().map(r -> r.header("webhook-id")).distinct().count(),
                "one webhook-id across retries");
        List<JsonNode> published = await().atMost(Duration.ofSeconds(20)).until(() -> outcomes.ofRun(runId),
                o -> o.size() == 4);
        assertEquals(List.of("pending", "pending", "pending", "failed"),
                published.stream().map(o -> o.at("/data/status").asText()).toList());
        assertEquals(500, published.getLast().at("/data/http_status").asInt());
        assertTrue(published.getLast().at("/data/delivered_at").isNull());
    }

    @Test
    void goneStopsRetryingAtOnce() {
        receiver.on("/hooks/gone", n -> Answer.status(410));
        String runId = events.publish(RunEvents.endedRun(receiver.url("/hooks/gone"), "cancelled"), "u-gone");
        await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(delivery(runId).get("status").asText()));
        assertEquals(1, receiver.at("/hooks/gone").size());
        assertTrue(attempts(runId).getFirst().get("error").asText().startsWith("gone"));
    }

    @Test
    void aRedirectIsNotFollowed() {
        receiver.on("/hooks/moved", n -> new Answer(302, Map.of("Location", receiver.url("/hooks/elsewhere")), 0));
        String runId = events.publish(RunEvents.endedRun(receiver.url("/hooks/moved"), "completed"), "u-moved");
        await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(delivery(runId).get("status").asText()));
        assertEquals(0, receiver.at("/hooks/elsewhere").size(), "never followed");
        assertEquals(302, attempts(runId).getFirst().get("http_status").asInt());
        assertTrue(attempts(runId).getFirst().get("error").asText().startsWith("redirect_not_followed"));
    }

    @Test
    void retryAfterPushesTheNextAttemptLaterThanTheSchedule() {
        receiver.on("/hooks/busy", n -> n == 1 ? new Answer(503, Map.of("Retry-After", "2"), 0) : Answer.status(200));
        String runId = events.publish(RunEvents.endedRun(receiver.url("/hooks/busy"), "completed"), "u-busy");
        await().atMost(Duration.ofSeconds(20)).until(() -> "delivered".equals(delivery(runId).get("status").asText()));
        List<Receiver.Received> got = receiver.at("/hooks/busy");
        assertEquals(2, got.size());
        Duration gap = Duration.between(got.get(0).at(), got.get(1).at());
        assertTrue(gap.toMillis() >= 1900, "waited for Retry-After (2 s), not the schedule's 300 ms: " + gap);
    }

    @Test
    void aHangingReceiverTimesOutWithoutHoldingUpOthers() {
        receiver.on("/hooks/hang", n -> Answer.hang(10_000));
        String hanging = events.publish(RunEvents.endedRun(receiver.url("/hooks/hang"), "completed"), "u-hang");
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at("/hooks/hang").size() == 1);
        try (Receiver other = Receiver.start()) {
            String quick = events.publish(RunEvents.endedRun(other.url("/hooks/quick"), "completed"), "u-quick");
            await().atMost(Duration.ofSeconds(1)).until(() -> other.at("/hooks/quick").size() == 1);
            // The hanging one's first post is still under way: the intake stored it claimed (pending) when it stopped
            // waiting for it (first-post-wait), and the attempt records itself when it times out.
            await().atMost(Duration.ofSeconds(10)).until(() -> "pending".equals(delivery(hanging).get("status").asText()));
            await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(delivery(quick).get("status").asText()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !attempts(hanging).isEmpty());
        JsonNode first = attempts(hanging).getFirst();
        assertTrue(first.get("error").asText().startsWith("timeout"), first.toString());
        assertTrue(first.get("http_status").isNull());
        assertTrue(first.get("duration_ms").asLong() >= 1900 && first.get("duration_ms").asLong() < 5000,
                "the test profile's 2 s total timeout: " + first);
    }

    @Test
    void oneReceiverGetsAtMostThePerHostLimitOfAttemptsAtOnce() {
        int limit = config.dispatch().perHostConcurrency();
        try (Receiver slow = Receiver.start()) {
            slow.on("/hooks/slow", n -> Answer.hang(700));
            List<String> runs = new java.util.ArrayList<>();
            for (int i = 0; i < limit + 4; i++) {
                runs.add(events.publish(RunEvents.endedRun(slow.url("/hooks/slow"), "completed"), "u-slow"));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> runs.stream()
                    .allMatch(r -> "delivered".equals(delivery(r).get("status").asText())));
            assertEquals(limit + 4, slow.at("/hooks/slow").size());
            assertEquals(16, limit, "the default");
            assertEquals(limit, slow.maxConcurrent(), "the per-host limit, and all of it used");
        }
    }

    static JsonNode delivery(String runId) {
        String body = given().auth().oauth2(TestTokens.admin("ops")).get("/admin/callbacks/" + runId).then().extract().asString();
        try {
            JsonNode node = JSON.readTree(body);
            return node.has("data") ? node.at("/data/delivery") : JSON.readTree("{\"status\":\"none\"}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<JsonNode> attempts(String runId) {
        List<JsonNode> list = new java.util.ArrayList<>();
        delivery(runId).path("attempts").forEach(list::add);
        return list;
    }

    static String secretOf(String user) {
        return given().auth().oauth2(TestTokens.user(user)).get("/api/agent-webhooks/signing-secret").then()
                .statusCode(200).extract().path("data.secret");
    }
}
