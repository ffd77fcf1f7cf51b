package dev.tollgate.callback.intake;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.callback.delivery.Delivery;
import dev.tollgate.callback.delivery.DeliveryStatus;
import dev.tollgate.callback.support.Receiver;
import dev.tollgate.callback.support.RunEvents;
import dev.tollgate.localstack.testing.ChannelHealth;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The store is unreachable for longer than a minute while lifecycle events arrive. The listener holds their batch
 * and retries until its deliveries are stored (the batch's offsets commit only then); SmallRye's throttled commit
 * strategy, by default, fails the channel for good once a record has waited 60 s for its acknowledgement, which would
 * stop every callback until the process restarts. The channel turns that check off: once the store answers, the held
 * run's delivery is stored, with the attempt made before it (a first copy is posted before its delivery is stored, and
 * only once), and a run that ends afterwards is posted too.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@TestProfile(StoreOutageTest.WithUnreachableStore.class)
class StoreOutageTest {

    public static class WithUnreachableStore implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(UnreachableDeliveryStore.class);
        }
    }

    /** Longer than the throttled commit strategy's default unprocessed-record-max-age (60 s). */
    static final Duration OUTAGE = Duration.ofSeconds(70);

    @Inject
    UnreachableDeliveryStore store;

    @Inject
    ObjectMapper json;

    @Test
    void aBatchHeldThroughAnOutageOfMoreThanAMinuteIsPostedOnceAndTheChannelStaysUp() throws Exception {
        try (Receiver receiver = Receiver.start();
                RunEvents events = new RunEvents(LocalStackTestResource.stack().kafkaBootstrap())) {
            store.unreachable(true);
            String held = events.publish(RunEvents.endedRun(receiver.url("/hooks/held"), "completed"), "u-outage");
            await().atMost(Duration.ofSeconds(20)).until(() -> store.failedCalls() > 0);
            // The outage lasts a fixed time, not until a condition: what is tested is a hold longer than SmallRye's.
            await().pollDelay(OUTAGE).atMost(OUTAGE.plusSeconds(5)).until(() -> true);
            assertNull(store.findById(held), "not stored while the store is unreachable: the batch is held");
            store.unreachable(false);

            await().atMost(Duration.ofSeconds(30)).until(() -> store.findById(held) != null);
            Delivery stored = store.findById(held);
            assertEquals(DeliveryStatus.DELIVERED, stored.status, "stored with the attempt made before the outage ended");
            assertEquals(1, stored.attemptsMade);
            events.publish(RunEvents.endedRun(receiver.url("/hooks/after"), "completed"), "u-outage");
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at("/hooks/after").size() == 1);
            assertEquals(1, receiver.at("/hooks/held").size(), "the held run is posted once");

            JsonNode live = json.readTree(given().get("/q/health/live").then().statusCode(200).extract().asString());
            assertTrue(ChannelHealth.isOk(live, ChannelHealth.LIVENESS_CHECK, "run-lifecycle"),
                    "run-lifecycle is alive: " + live);
        }
    }
}
