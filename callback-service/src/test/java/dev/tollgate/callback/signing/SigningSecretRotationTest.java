package dev.tollgate.callback.signing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.UUID;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.tollgate.callback.support.Receiver;
import dev.tollgate.callback.support.RunEvents;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class SigningSecretRotationTest {

    @Test
    void afterARotationCallbacksCarryBothSignaturesAndEitherSecretVerifies() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String old = given().auth().oauth2(TestTokens.user(user)).get("/api/agent-webhooks/signing-secret").then()
                .extract().path("data.secret");
        String rotated = given().auth().oauth2(TestTokens.user(user)).post("/api/agent-webhooks/signing-secret/rotate")
                .then().statusCode(200)
                .body("data.secret", matchesPattern("whsec_[A-Za-z0-9+/=]+"))
                .body("data.previous_secret_expires_at", notNullValue())
                .extract().path("data.secret");
        assertNotEquals(old, rotated);
        assertEquals(rotated, given().auth().oauth2(TestTokens.user(user)).get("/api/agent-webhooks/signing-secret")
                .then().extract().path("data.secret"), "the new secret is the one served from now on");

        try (Receiver receiver = Receiver.start();
                RunEvents events = new RunEvents(LocalStackTestResource.stack().kafkaBootstrap())) {
            events.publish(RunEvents.endedRun(receiver.url("/rotated"), "completed"), user);
            Receiver.Received got = await().atMost(Duration.ofSeconds(20))
                    .until(() -> receiver.at("/rotated"), r -> !r.isEmpty()).getFirst();
            assertEquals(2, got.header("webhook-signature").split(" ").length, got.header("webhook-signature"));
            new Webhook(rotated).verify(got.body(), got.headers());
            new Webhook(old).verify(got.body(), got.headers());
            assertThrows(WebhookVerificationException.class,
                    () -> new Webhook(SigningSecrets.newSecret()).verify(got.body(), got.headers()));
        }
    }

    @Test
    void rotatingNeedsAUserToken() {
        given().post("/api/agent-webhooks/signing-secret/rotate").then().statusCode(401);
        given().auth().oauth2(TestTokens.service("catalog-service")).post("/api/agent-webhooks/signing-secret/rotate")
                .then().statusCode(403);
    }
}
