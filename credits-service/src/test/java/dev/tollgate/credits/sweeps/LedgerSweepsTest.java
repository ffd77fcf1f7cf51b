package dev.tollgate.credits.sweeps;

import static dev.tollgate.credits.api.LedgerClient.balance;
import static dev.tollgate.credits.api.LedgerClient.grant;
import static dev.tollgate.credits.api.LedgerClient.hold;
import static dev.tollgate.credits.api.LedgerClient.newUser;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class LedgerSweepsTest {

    @Test
    void aHoldNobodySettlesIsReleasedWhenItsTtlRunsOut() {
        String user = newUser();
        grant(user, 100, null).then().statusCode(201);
        hold(user, Map.of("hold_id", "abandoned-order", "amount_credits", 60, "ttl_seconds", 1)).then().statusCode(200);
        assertEquals(40, balance(user));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().auth().oauth2(TestTokens.service("catalog"))
                        .get("/internal/credits/accounts/" + user + "/holds/abandoned-order")
                        .then().statusCode(200)
                        .body("data.hold.state", equalTo("released"))
                        .body("data.hold.reason", equalTo("expired")));
        assertEquals(100, balance(user));
    }

    @Test
    void expiredCreditStopsCountingAtOnceAndTheSweepWritesItsExpiration() {
        String user = newUser();
        Instant soon = Instant.now().plusMillis(1500);
        grant(user, 80, soon.toString()).then().statusCode(201);
        grant(user, 20, null).then().statusCode(201);
        assertEquals(100, balance(user));

        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(soon));
        assertEquals(20, balance(user), "expired credit is excluded even before the sweep");

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().auth().oauth2(TestTokens.user(user)).get("/credits/history").then().statusCode(200)
                        .body("data.transactions.transaction_type", equalTo(List.of("expiration", "grant", "grant")))
                        .body("data.transactions[0].amount_credits", equalTo(-80))
                        .body("data.transactions[0].balance_after_credits", equalTo(20)));
    }
}
