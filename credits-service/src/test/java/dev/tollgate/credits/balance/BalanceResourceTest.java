package dev.tollgate.credits.balance;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.tollgate.credits.grants.Grant;
import dev.tollgate.credits.grants.GrantRepository;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class BalanceResourceTest {

    @Inject
    GrantRepository grants;

    @Test
    void aNewUserHasNothing() {
        given().auth().oauth2(TestTokens.user("new-" + UUID.randomUUID()))
                .get("/credits/balance")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("data.balance", equalTo(0))
                .body("data.expiration", nullValue())
                .body("data.expires_in_days", nullValue());
    }

    @Test
    void theCallerSeesOnlyTheirOwnLiveCredit() {
        String user = "u-" + UUID.randomUUID();
        Instant in5Days = Instant.now().plus(Duration.ofDays(5)).plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        grants.persist(grant(user, 700, in5Days), grant(user, 300, null), grant(user, 999, Instant.now().minusSeconds(5)),
                grant("someone-else", 12345, null));

        given().auth().oauth2(TestTokens.user(user))
                .get("/credits/balance")
                .then().statusCode(200)
                .body("data.balance", equalTo(1000))
                .body("data.expiration", equalTo(in5Days.toString()))
                .body("data.expires_in_days", equalTo(5));
    }

    private static Grant grant(String user, long credits, Instant expiresAt) {
        Grant g = new Grant();
        g.userId = user;
        g.amountCredits = credits;
        g.remainingCredits = credits;
        g.creditType = "admin_grant";
        g.dateCreated = Instant.now();
        g.expiresAt = expiresAt;
        return g;
    }
}
