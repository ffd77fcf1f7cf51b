package dev.tollgate.workflow.callbacks;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.localstack.testing.ChannelHealth;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunRepository;
import dev.tollgate.workflow.runs.RunStatus;
import dev.tollgate.workflow.support.Fixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The store fails while an outcome is being folded (as when the local stack is killed): the outcome is folded once
 * the store answers again, and the {@code callback-outcomes} consumer stays up and keeps folding later outcomes,
 * instead of nacking the message and stopping the channel for good.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@TestProfile(CallbackOutcomeStoreOutageTest.WithFailingStore.class)
class CallbackOutcomeStoreOutageTest {

    public static class WithFailingStore implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(FailingStoreCallbackOutcomes.class);
        }
    }

    @Inject
    RunRepository runs;

    @Inject
    FailingStoreCallbackOutcomes store;

    @Inject
    ObjectMapper json;

    @Test
    void anOutcomeIsFoldedOnceTheStoreAnswersAndLaterOutcomesStillArrive() throws Exception {
        Run hit = runAwaitingItsCallback();
        store.failNextFolds(hit.id.toHexString(), 3);
        Instant attempted = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        publish(hit, "delivered", 200, attempted);

        await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(runs.findById(hit.id).callbackStatus));
        Run folded = runs.findById(hit.id);
        assertEquals(200, folded.callbackLastStatus);
        assertEquals(attempted, folded.callbackAttemptedAt);
        assertEquals(4, store.attempts(hit.id.toHexString()), "three failed folds, then the one that applied");

        // The consumer is still running: an outcome published after the outage is folded too, and the channel is
        // reported healthy (a nacked message would have stopped it: "[KO]" and nothing folded any more).
        Run next = runAwaitingItsCallback();
        publish(next, "failed", 500, attempted.plusSeconds(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(runs.findById(next.id).callbackStatus));
        JsonNode ready = json.readTree(given().get("/q/health/ready").then().statusCode(200).extract().asString());
        assertTrue(ChannelHealth.isOk(ready, ChannelHealth.READINESS_CHECK, "callback-outcomes"),
                "callback-outcomes is healthy: " + ready);
    }

    private Run runAwaitingItsCallback() {
        Run run = Fixtures.run("owner", RunStatus.COMPLETED);
        run.callbackUrl = "https://example.com/hook";
        run.callbackStatus = "pending";
        runs.persist(run);
        return run;
    }

    private void publish(Run run, String status, int httpStatus, Instant attemptedAt) throws Exception {
        Map<String, Object> data = new HashMap<>();
        data.put("run_id", run.id.toHexString());
        data.put("status", status);
        data.put("http_status", httpStatus);
        data.put("attempted_at", attemptedAt.toString());
        if ("delivered".equals(status)) {
            data.put("delivered_at", attemptedAt.toString());
        }
        String event = json.writeValueAsString(Map.of("specversion", "1.0", "id", run.id + ":" + attemptedAt,
                "type", "callback.attempt", "subject", run.id.toHexString(), "data", data));
        try (var producer = new KafkaProducer<String, String>(Map.of("bootstrap.servers",
                LocalStackTestResource.stack().kafkaBootstrap()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("callback.delivery.outcome", run.id.toHexString(), event)).get();
        }
    }
}
