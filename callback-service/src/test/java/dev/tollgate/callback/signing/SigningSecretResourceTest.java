package dev.tollgate.callback.signing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Base64;
import java.util.UUID;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class SigningSecretResourceTest {

    @Test
    void eachUserHasOneStableSecretOfTheStandardWebhooksShape() {
        String user = "u-" + UUID.randomUUID();
        String first = secretOf(user);
        assertEquals(first, secretOf(user), "the secret is stable until rotated");
        assertEquals(32, Base64.getDecoder().decode(first.substring("whsec_".length())).length);
        assertNotEquals(first, secretOf("other-" + UUID.randomUUID()), "users never share a secret");
    }

    private static String secretOf(String user) {
        return given().auth().oauth2(TestTokens.user(user))
                .get("/api/agent-webhooks/signing-secret")
                .then().statusCode(200)
                .body("data.secret", matchesPattern("whsec_[A-Za-z0-9+/=]+"))
                .extract().path("data.secret");
    }
}
