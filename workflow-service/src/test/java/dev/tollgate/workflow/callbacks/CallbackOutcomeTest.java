package dev.tollgate.workflow.callbacks;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunRepository;
import dev.tollgate.workflow.runs.RunStatus;
import dev.tollgate.localstack.testing.TestTokens;
import dev.tollgate.workflow.support.Fixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Outcomes arrive on Kafka, as callback-service publishes them; the run's callback fields follow, in order. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class CallbackOutcomeTest {

    @Inject
    RunRepository runs;

    @Inject
    ObjectMapper json;

    @Test
    void outcomesAreFoldedNewestWinsAndDeliveredIsFinal() throws Exception {
        Run run = completedRun();
        Instant t0 = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        publish(run, "pending", 500, "HTTP 500", t0, null);
        awaitFields(run, "pending", 500);

        publish(run, "delivered", 200, null, t0.plusSeconds(20), t0.plusSeconds(20));
        awaitFields(run, "delivered", 200);

        // A late, older attempt and a later failure both arrive after delivery: neither changes anything.
        publish(run, "pending", 503, "HTTP 503", t0.plusSeconds(10), null);
        publish(run, "failed", 500, "HTTP 500", t0.plusSeconds(30), null);
        Run marker = completedRun();
        publish(marker, "pending", 502, "HTTP 502", t0, null);
        awaitFields(marker, "pending", 502); // everything before it on the topic has been consumed

        given().auth().oauth2(TestTokens.user("owner")).get("/api/agent-webhooks/runs/" + run.id.toHexString())
                .then().statusCode(200)
                .body("data.run.callback_status", equalTo("delivered"))
                .body("data.run.callback_last_status", equalTo(200))
                .body("data.run.callback_attempted_at", equalTo(t0.plusSeconds(20).toString()))
                .body("data.run.callback_delivered_at", equalTo(t0.plusSeconds(20).toString()));
    }

    private Run completedRun() {
        Run run = Fixtures.run("owner", RunStatus.COMPLETED);
        run.callbackUrl = "https://example.com/hook";
        run.callbackStatus = "pending";
        runs.persist(run);
        return run;
    }

    private void awaitFields(Run run, String status, int httpStatus) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().auth().oauth2(TestTokens.user("owner")).get("/api/agent-webhooks/runs/" + run.id.toHexString())
                        .then().body("data.run.callback_status", equalTo(status))
                        .body("data.run.callback_last_status", equalTo(httpStatus)));
    }

    private void publish(Run run, String status, int httpStatus, String error, Instant attemptedAt, Instant deliveredAt)
            throws Exception {
        Map<String, Object> data = new java.util.HashMap<>();
        data.put("run_id", run.id.toHexString());
        data.put("status", status);
        data.put("http_status", httpStatus);
        data.put("error", error);
        data.put("attempted_at", attemptedAt.toString());
        data.put("delivered_at", deliveredAt == null ? null : deliveredAt.toString());
        String event = json.writeValueAsString(Map.of("specversion", "1.0", "id", run.id + ":" + attemptedAt,
                "type", "callback.attempt", "subject", run.id.toHexString(), "data", data));
        try (var producer = new KafkaProducer<String, String>(Map.of("bootstrap.servers",
                LocalStackTestResource.stack().kafkaBootstrap()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("callback.delivery.outcome", run.id.toHexString(), event)).get();
        }
    }

}
