package dev.tollgate.callback.admin;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.tollgate.callback.support.Receiver;
import dev.tollgate.callback.support.Receiver.Answer;
import dev.tollgate.callback.support.RunEvents;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class DeliveryAdminTest {

    @Inject
    MongoClient mongo;

    static final String ADMIN = TestTokens.admin("ops");
    static Receiver receiver;
    static RunEvents events;

    @BeforeAll
    static void start() {
        receiver = Receiver.start();
        events = new RunEvents(LocalStackTestResource.stack().kafkaBootstrap());
    }

    @AfterAll
    static void stop() {
        receiver.close();
        events.close();
    }

    @Test
    void aFailedDeliveryIsListedWithItsAttemptsAndRedeliveredOnDemand() {
        receiver.on("/admin-hook", n -> n <= 4 ? Answer.status(503) : Answer.status(200));
        String runId = events.publish(RunEvents.endedRun(receiver.url("/admin-hook"), "failed"), "u-admin");
        await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(status(runId)));

        given().auth().oauth2(ADMIN).get("/admin/callbacks/" + runId).then().statusCode(200)
                .body("data.delivery.delivery_id", equalTo("msg_" + runId))
                .body("data.delivery.attempts_made", equalTo(4))
                .body("data.delivery.attempts[0].attempt", equalTo(1))
                .body("data.delivery.attempts[0].http_status", equalTo(503))
                .body("data.delivery.attempts[0].attempted_at", notNullValue())
                .body("data.delivery.attempts[0].duration_ms", notNullValue())
                .body("data.delivery.attempts[3].result", equalTo("failed"));
        given().auth().oauth2(ADMIN).queryParam("status", "failed").get("/admin/callbacks").then().statusCode(200)
                .body("data.deliveries.run_id", hasItem(runId));

        given().auth().oauth2(ADMIN).post("/admin/callbacks/" + runId + "/redeliver").then().statusCode(202)
                .body("data.delivery.status", equalTo("pending"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "delivered".equals(status(runId)));
        assertEquals(5, receiver.at("/admin-hook").size());
        assertEquals("msg_" + runId, receiver.at("/admin-hook").getLast().header("webhook-id"),
                "a redelivery is the same message");
        given().auth().oauth2(ADMIN).get("/admin/callbacks/" + runId).then()
                .body("data.delivery.attempts[4].attempt", equalTo(5))
                .body("data.delivery.attempts[4].result", equalTo("delivered"))
                .body("data.delivery.delivered_at", notNullValue());
    }

    @Test
    void aPendingDeliveryWaitingForItsNextRetryIsAttemptedNowUnderTheSameWebhookId() {
        // The receiver was down and asked for an hour's pause; it is back now, and the operator does not wait.
        receiver.on("/admin-later", n -> n == 1 ? new Answer(503, Map.of("Retry-After", "3600"), 0) : Answer.status(200));
        String runId = events.publish(RunEvents.endedRun(receiver.url("/admin-later"), "completed"), "u-admin");
        await().atMost(Duration.ofSeconds(20)).until(() -> "pending".equals(status(runId))
                && receiver.at("/admin-later").size() == 1);

        given().auth().oauth2(ADMIN).post("/admin/callbacks/" + runId + "/redeliver").then().statusCode(202)
                .body("data.delivery.status", equalTo("pending"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "delivered".equals(status(runId)));
        assertEquals(2, receiver.at("/admin-later").size(), "one attempt now, not one more per wake-up");
        assertEquals(receiver.at("/admin-later").getFirst().header("webhook-id"),
                receiver.at("/admin-later").getLast().header("webhook-id"), "the same message");
    }

    @Test
    void aDeliveryWhoseAttemptIsInFlightIsNotAttemptedTwice() {
        receiver.on("/admin-busy", n -> new Answer(503, Map.of("Retry-After", "3600"), 0));
        String runId = events.publish(RunEvents.endedRun(receiver.url("/admin-busy"), "completed"), "u-admin");
        await().atMost(Duration.ofSeconds(20)).until(() -> "pending".equals(status(runId))
                && receiver.at("/admin-busy").size() == 1);
        // An attempt holds the delivery's claim right now (as a replica's attempt does while it posts).
        mongo.getDatabase("tollgate-callbacks").getCollection("deliveries").updateOne(Filters.eq("_id", runId),
                Updates.combine(Updates.set("leaseToken", "another-replica"),
                        Updates.set("leaseUntil", Date.from(Instant.now().plusSeconds(60)))));
        given().auth().oauth2(ADMIN).post("/admin/callbacks/" + runId + "/redeliver").then().statusCode(409)
                .body("success", equalTo(false)).body("error", equalTo("delivery_pending"));
        assertEquals(1, receiver.at("/admin-busy").size(), "no second attempt");
    }

    @Test
    void badRequestsGetClearErrors() {
        given().auth().oauth2(ADMIN).get("/admin/callbacks/no-such-run").then().statusCode(404)
                .body("error", equalTo("delivery_not_found"));
        given().auth().oauth2(ADMIN).post("/admin/callbacks/no-such-run/redeliver").then().statusCode(404);
        given().auth().oauth2(ADMIN).get("/admin/callbacks/bad$id").then().statusCode(400)
                .body("error", equalTo("invalid_run_id"));
        given().auth().oauth2(ADMIN).queryParam("status", "lost").get("/admin/callbacks").then().statusCode(400)
                .body("error", equalTo("invalid_status"));
        given().auth().oauth2(ADMIN).queryParam("limit", "0").get("/admin/callbacks").then().statusCode(400)
                .body("error", equalTo("invalid_limit"));
        for (String lax : new String[] { "+1", "-0", "99999999999", "1.0" }) {
            given().auth().oauth2(ADMIN).queryParam("limit", lax).get("/admin/callbacks").then().statusCode(400)
                    .body("error", equalTo("invalid_limit"));
        }
        given().auth().oauth2(TestTokens.user("u-nosy")).get("/admin/callbacks").then().statusCode(403)
                .body("error", equalTo("forbidden"));
        given().get("/admin/callbacks").then().statusCode(401).body("error", equalTo("unauthorized"));
    }

    static String status(String runId) {
        return given().auth().oauth2(ADMIN).get("/admin/callbacks/" + runId).then().extract()
                .path("data.delivery.status");
    }
}
