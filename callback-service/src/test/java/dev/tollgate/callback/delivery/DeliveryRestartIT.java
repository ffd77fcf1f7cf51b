package dev.tollgate.callback.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.standardwebhooks.Webhook;
import dev.tollgate.callback.support.Outcomes;
import dev.tollgate.callback.support.Receiver;
import dev.tollgate.callback.support.Receiver.Answer;
import dev.tollgate.callback.support.RunEvents;
import dev.tollgate.localstack.testing.LocalStackProcess;
import dev.tollgate.localstack.testing.ServiceProcess;
import dev.tollgate.localstack.testing.TestTokens;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The packaged callback-service, SIGKILLed while every delivery is still pending (its receiver has answered only
 * 500s so far, and attempts are in flight), then started again on the same stack once the receiver has recovered:
 * every delivery arrives, signed, under the {@code webhook-id} it had from the start; the lifecycle events published
 * while no process was consuming are delivered too; and the outcome topic ends each run with {@code delivered}.
 */
class DeliveryRestartIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path JAR = Path.of(System.getProperty("tollgate.service.jar"));
    static final int RUNS_BEFORE_KILL = 30;
    static final int RUNS_WHILE_DEAD = 5;

    /**
     * Production timings compressed to seconds: twelve attempts 1 s apart (far more than the attempts made before the
     * kill, so no delivery runs out of attempts while the receiver is down), a 3 s total timeout, and a 5 s claim, so
     * the attempts the kill cut off are taken over soon after the restart. The consumer's 6 s session (the broker's
     * minimum; the default is 45 s) lets the new process take over the dead one's partitions within the test's time
     * instead of waiting for the broker to give up on the dead member.
     */
    static final Map<String, String> ENV = Map.of(
            "QUARKUS_LOG_LEVEL", "WARN",
            "TOLLGATE_CALLBACKS_EGRESS_ALLOW_LOOPBACK_HTTP", "true",
            "TOLLGATE_CALLBACKS_RETRY_SCHEDULE", "0s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s",
            "TOLLGATE_CALLBACKS_HTTP_TOTAL_TIMEOUT", "PT3S",
            "TOLLGATE_CALLBACKS_DISPATCH_LEASE", "PT5S",
            "TOLLGATE_CALLBACKS_OUTBOX_SWEEP_INTERVAL", "1s",
            "KAFKA_SESSION_TIMEOUT_MS", "6000");

    /** A run whose callback the test follows: its id, owner, and the receiver path only it is posted to. */
    record Run(String runId, String userId, String path) {
    }

    @Test
    void killedWithDeliveriesPendingAllAreDeliveredAfterTheRestartUnderUnchangedWebhookIds() throws Exception {
        AtomicBoolean receiverUp = new AtomicBoolean(false);
        Set<String> answeredWith2xx = ConcurrentHashMap.newKeySet();
        try (LocalStackProcess stack = LocalStackProcess.start();
                MongoClient mongo = MongoClients.create(stack.mongoConnectionString());
                Receiver receiver = Receiver.start();
                RunEvents events = new RunEvents(stack.kafkaBootstrap());
                Outcomes outcomes = new Outcomes(stack.kafkaBootstrap());
                ServiceProcess service = new ServiceProcess("callback-service", JAR, stack, ENV)) {
            service.start();
            MongoCollection<Document> deliveries = mongo.getDatabase("tollgate-callbacks").getCollection("deliveries");
            PrivateKey key = TestTokens.readPrivateKey(stack.privateKey());
            List<String> users = List.of("restart-a-" + UUID.randomUUID(), "restart-b-" + UUID.randomUUID());

            // Each run has its own path, so the receiver's record shows which run every request was for, whatever
            // headers it carried. Failures take half a second, so the lane to the receiver stays busy and the kill
            // lands on attempts in flight.
            List<Run> beforeKill = publish(events, receiver, users, "before", RUNS_BEFORE_KILL, receiverUp,
                    answeredWith2xx);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    deliveries.countDocuments(Filters.and(Filters.in("_id", ids(beforeKill)),
                            Filters.gte("attemptsMade", 1))) == RUNS_BEFORE_KILL
                    && deliveries.countDocuments(Filters.ne("leaseToken", null)) > 0);
            service.kill();

            // What the dead process left: every delivery pending under its first webhook-id, some claims held.
            for (Run run : beforeKill) {
                Document left = deliveries.find(Filters.eq("_id", run.runId())).first();
                assertEquals("PENDING", left.getString("status"), run.runId());
                assertEquals("msg_" + run.runId(), left.getString("webhookId"));
            }
            long claimsCutOff = deliveries.countDocuments(Filters.ne("leaseToken", null));
            assertTrue(claimsCutOff > 0, "the kill interrupted attempts in flight");

            List<Run> whileDead = publish(events, receiver, users, "dead", RUNS_WHILE_DEAD, receiverUp,
                    answeredWith2xx);
            receiverUp.set(true);
            service.start();

            List<Run> all = new ArrayList<>(beforeKill);
            all.addAll(whileDead);
            await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.countDocuments(Filters.and(
                    Filters.in("_id", ids(all)), Filters.eq("status", "DELIVERED"))) == all.size());

            HttpClient http = HttpClient.newHttpClient();
            Map<String, String> secrets = new LinkedHashMap<>();
            for (String user : users) {
                String token = TestTokens.token(user, "budget-" + user, Set.of("user"), Duration.ofMinutes(10), key);
                secrets.put(user, get(http, service.baseUrl() + "/api/agent-webhooks/signing-secret", token)
                        .at("/data/secret").asText());
            }
            for (Run run : all) {
                List<Receiver.Received> got = receiver.at(run.path());
                assertTrue(answeredWith2xx.contains(run.path()), "a 2xx answer for " + run.runId());
                for (Receiver.Received request : got) {
                    assertEquals("msg_" + run.runId(), request.header("webhook-id"),
                            "the same webhook-id before and after the restart");
                    // Throws if the signature does not match the owner's secret.
                    new Webhook(secrets.get(run.userId())).verify(request.body(), request.headers());
                }
            }

            String admin = TestTokens.token("ops", null, Set.of("user", "admin"), Duration.ofMinutes(10), key);
            for (Run run : beforeKill) {
                JsonNode delivery = get(http, service.baseUrl() + "/admin/callbacks/" + run.runId(), admin)
                        .at("/data/delivery");
                assertEquals("delivered", delivery.get("status").asText());
                assertEquals("msg_" + run.runId(), delivery.get("delivery_id").asText());
                JsonNode attempts = delivery.get("attempts");
                assertEquals(500, attempts.get(0).get("http_status").asInt(), "failed before the kill: " + delivery);
                assertEquals(204, attempts.get(attempts.size() - 1).get("http_status").asInt());
                assertTrue(receiver.at(run.path()).size() >= 2, "posted before and after the restart");
            }
            for (Run run : whileDead) {
                JsonNode delivery = get(http, service.baseUrl() + "/admin/callbacks/" + run.runId(), admin)
                        .at("/data/delivery");
                assertEquals("delivered", delivery.get("status").asText());
                assertEquals(1, delivery.get("attempts").size(), "first posted by the restarted process: " + delivery);
                assertEquals(1, receiver.at(run.path()).size());
            }

            // One outcome per recorded attempt, the dead process's included (the restarted one relays what it left
            // unpublished); they are relayed after the attempt is recorded, so wait for the topic to catch up.
            Map<String, Integer> recorded = new LinkedHashMap<>();
            deliveries.find(Filters.in("_id", ids(all)))
                    .forEach(d -> recorded.put(d.getString("_id"), d.getInteger("attemptsMade")));
            Map<String, List<JsonNode>> published = await().atMost(Duration.ofSeconds(30))
                    .until(() -> outcomes.ofRuns(ids(all)), byRun -> byRun.entrySet().stream()
                            .allMatch(e -> e.getValue().size() == recorded.get(e.getKey())));
            for (Run run : all) {
                List<JsonNode> ofRun = published.get(run.runId());
                assertEquals("delivered", ofRun.getLast().at("/data/status").asText(), ofRun.toString());
                assertFalse(ofRun.getLast().at("/data/delivered_at").isNull());
                assertTrue(ofRun.subList(0, ofRun.size() - 1).stream()
                        .allMatch(o -> "pending".equals(o.at("/data/status").asText())),
                        "only failed attempts before the delivery: " + ofRun);
            }
        }
    }

    /** Publishes {@code n} ended runs, each posting to its own path, which answers 500 until the receiver is up. */
    private static List<Run> publish(RunEvents events, Receiver receiver, List<String> users, String tag, int n,
            AtomicBoolean receiverUp, Set<String> answeredWith2xx) {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String path = "/hooks/" + tag + "-" + i;
            receiver.on(path, request -> {
                if (receiverUp.get()) {
                    answeredWith2xx.add(path);
                    return Answer.status(204);
                }
                return new Answer(500, Map.of(), 500);
            });
            String user = users.get(i % users.size());
            ObjectNode run = RunEvents.endedRun(receiver.url(path), i % 3 == 0 ? "failed" : "completed");
            runs.add(new Run(events.publish(run, user), user, path));
        }
        return runs;
    }

    private static List<String> ids(List<Run> runs) {
        return runs.stream().map(Run::runId).toList();
    }

    private static JsonNode get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return JSON.readTree(response.body());
    }
}
