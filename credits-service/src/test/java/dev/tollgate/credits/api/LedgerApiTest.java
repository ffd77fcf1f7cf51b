package dev.tollgate.credits.api;

import static dev.tollgate.credits.api.LedgerClient.balance;
import static dev.tollgate.credits.api.LedgerClient.capture;
import static dev.tollgate.credits.api.LedgerClient.grant;
import static dev.tollgate.credits.api.LedgerClient.hold;
import static dev.tollgate.credits.api.LedgerClient.newUser;
import static dev.tollgate.credits.api.LedgerClient.release;
import static dev.tollgate.credits.api.LedgerClient.revoke;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class LedgerApiTest {

    @Test
    void aNewUserHasNothing() {
        String user = newUser();
        given().auth().oauth2(TestTokens.user(user)).get("/credits/balance").then().statusCode(200)
                .body("success", equalTo(true))
                .body("data.balance", equalTo(0))
                .body("data.expiration", nullValue())
                .body("data.expires_in_days", nullValue());
        given().auth().oauth2(TestTokens.user(user)).get("/credits/history").then().statusCode(200)
                .body("data.grants", hasSize(0))
                .body("data.transactions", hasSize(0));
    }

    @Test
    void balanceAndExpirationAreExactAndOnlyTheCallers() {
        String user = newUser();
        Instant in5Days = Instant.now().plus(Duration.ofDays(5)).plusSeconds(120).truncatedTo(ChronoUnit.MILLIS);
        grant(user, 700, in5Days.toString()).then().statusCode(201);
        grant(user, 300, null).then().statusCode(201);
        grant(newUser(), 12345, null).then().statusCode(201);

        given().auth().oauth2(TestTokens.user(user)).get("/credits/balance").then().statusCode(200)
                .body("data.balance", equalTo(1000))
                .body("data.expiration", equalTo(in5Days.toString()))
                .body("data.expires_in_days", equalTo(5));
    }

    @Test
    void historyListsGrantsAndTransactionsNewestFirstInTheContractShape() {
        String user = newUser();
        String grantId = grant(user, 500, null).then().statusCode(201).extract().path("data.grant._id");
        hold(user, "ord-" + UUID.randomUUID(), 120).then().statusCode(200);
        String holdId = "ord-" + UUID.randomUUID();
        hold(user, holdId, 80).then().statusCode(200);
        capture(user, holdId).then().statusCode(200).body("data.hold.state", equalTo("captured"));

        given().auth().oauth2(TestTokens.user(user)).get("/credits/history?limit=10").then().statusCode(200)
                .body("data.grants[0]._id", equalTo(grantId))
                .body("data.grants[0].user_id", equalTo(user))
                .body("data.grants[0].amount_credits", equalTo(500))
                .body("data.grants[0].amount_usd", equalTo(5.0f))
                .body("data.grants[0].remaining_credits", equalTo(300))
                .body("data.grants[0].credit_type", equalTo("admin_grant"))
                .body("data.grants[0].expires_at", nullValue())
                .body("data.transactions.transaction_type", equalTo(List.of("purchase", "grant")))
                .body("data.transactions[0].amount_credits", equalTo(-80))
                .body("data.transactions[0].amount_usd", equalTo(-0.8f))
                // 500 - 80: the running sum, with the other 120 still on hold (300 of it is available)
                .body("data.transactions[0].balance_after_credits", equalTo(420))
                .body("data.transactions[1].amount_credits", equalTo(500))
                .body("data.transactions[1].balance_after_credits", equalTo(500));
        given().auth().oauth2(TestTokens.user(user)).get("/credits/history?limit=1").then().statusCode(200)
                .body("data.transactions", hasSize(1))
                .body("data.transactions[0].transaction_type", equalTo("purchase"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "-1", "abc", "1.5", "100000" })
    void aBadLimitIsA422WithFastApiDetail(String limit) {
        given().auth().oauth2(TestTokens.user(newUser())).get("/credits/history?limit=" + limit).then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("query", "limit")))
                .body("detail[0].input", equalTo(limit));
    }

    @Test
    void grantsAreIdempotentOnTheirKey() {
        String user = newUser();
        String key = UUID.randomUUID().toString();
        String first = grant(user, 250, null, key).then().statusCode(201).extract().path("data.grant._id");
        String again = grant(user, 250, null, key).then().statusCode(200).extract().path("data.grant._id");
        assertEquals(first, again);
        assertEquals(250, balance(user));
    }

    @Test
    void revocationTakesBackPartOrAllOnceAndWritesATransaction() {
        String user = newUser();
        String grantId = grant(user, 400, null).then().extract().path("data.grant._id");
        String key = UUID.randomUUID().toString();
        revoke(grantId, 150L, key).then().statusCode(200)
                .body("data.transaction.transaction_type", equalTo("revocation"))
                .body("data.transaction.amount_credits", equalTo(-150))
                .body("data.transaction.balance_after_credits", equalTo(250));
        revoke(grantId, 150L, key).then().statusCode(200).body("data.transaction.amount_credits", equalTo(-150));
        assertEquals(250, balance(user));
        revoke(grantId, null, UUID.randomUUID().toString()).then().statusCode(200)
                .body("data.transaction.amount_credits", equalTo(-250));
        assertEquals(0, balance(user));
    }

    @Test
    void aJsonNullBodyRevokesAllThatIsLeftLikeNoBody() {
        // What a generated client sends for the optional body left out: null with a JSON content type.
        String user = newUser();
        String grantId = grant(user, 300, null).then().extract().path("data.grant._id");
        LedgerClient.revokeRaw(grantId, "null", UUID.randomUUID().toString()).then().statusCode(200).body("data.transaction.amount_credits", equalTo(-300));
        assertEquals(0, balance(user));
    }

    @Test
    void holdsAreIdempotentAndSettleOnce() {
        String user = newUser();
        grant(user, 100, null).then().statusCode(201);
        String holdId = "ord-" + UUID.randomUUID();
        hold(user, holdId, 60).then().statusCode(200).body("data.hold.state", equalTo("held"));
        hold(user, holdId, 60).then().statusCode(200).body("data.hold.state", equalTo("held"));
        assertEquals(40, balance(user));
        hold(user, holdId, 61).then().statusCode(409).body("error", equalTo("idempotency_key_reused"));

        capture(user, holdId).then().statusCode(200).body("data.hold.state", equalTo("captured"))
                .body("data.hold.transaction_id", equalTo("purchase:" + holdId));
        capture(user, holdId).then().statusCode(200).body("data.hold.state", equalTo("captured"));
        release(user, holdId).then().statusCode(409).body("error", equalTo("hold_already_captured"));
        hold(user, holdId, 60).then().statusCode(200).body("data.hold.state", equalTo("captured"));
        assertEquals(40, balance(user));

        String other = "ord-" + UUID.randomUUID();
        hold(user, other, 40).then().statusCode(200);
        release(user, other).then().statusCode(200).body("data.hold.state", equalTo("released"));
        release(user, other).then().statusCode(200).body("data.hold.state", equalTo("released"));
        capture(user, other).then().statusCode(409).body("error", equalTo("hold_already_released"));
        assertEquals(40, balance(user));
    }

    @Test
    void aHoldLargerThanTheBalanceIsRefusedWithAStableCodeAndChangesNothing() {
        String user = newUser();
        grant(user, 50, null).then().statusCode(201);
        String holdId = "ord-" + UUID.randomUUID();
        hold(user, holdId, 51).then().statusCode(402).body("error", equalTo("insufficient_credits"));
        hold(user, holdId, 51).then().statusCode(402).body("error", equalTo("insufficient_credits"));
        assertEquals(50, balance(user));
        capture(user, holdId).then().statusCode(409).body("error", equalTo("hold_already_refused"));
    }

    @Test
    void badInputIsAClear4xxAndTheLedgerIsUnchanged() {
        String user = newUser();
        grant(user, 100, null).then().statusCode(201);
        hold(user, Map.of("hold_id", "x", "amount_credits", 0)).then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body", "amount_credits")))
                .body("detail[0].type", equalTo("greater_than"));
        hold(user, Map.of("hold_id", "x", "amount_credits", -3)).then().statusCode(422);
        hold(user, Map.of("amount_credits", "ten")).then().statusCode(422)
                .body("detail.type", equalTo(List.of("missing", "int_type")));
        grant(user, -5, null).then().statusCode(422);
        grant(user, 5, "2001-01-01T00:00:00Z").then().statusCode(422).body("detail[0].type", equalTo("datetime_future"));
        // Parses, then overflowed the BSON date's milliseconds: it was a 500 with Quarkus's default body.
        grant(user, 5, "+999999999-12-31T23:59:59Z").then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body", "expires_at")))
                .body("detail[0].type", equalTo("less_than"));
        given().auth().oauth2(TestTokens.admin("a")).contentType("application/json")
                .body(Map.of("user_id", user, "amount_credits", 5, "credit_type", "admin_grant"))
                .post("/admin/credits/grants").then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("header", "idempotency-key")));
        revoke("000000000000000000000000", null, "k").then().statusCode(404).body("error", equalTo("grant_not_found"));
        capture(user, "never-placed").then().statusCode(404).body("error", equalTo("hold_not_found"));
        hold(user, Map.of()).then().statusCode(422);
        given().auth().oauth2(TestTokens.service("s")).contentType("application/json").body("{oops")
                .post("/internal/credits/accounts/" + user + "/holds").then().statusCode(422)
                .body("detail[0].type", equalTo("json_invalid"));
        assertEquals(100, balance(user));
    }

    @Test
    void onlyAdminsGrantAndOnlyServicesHold() {
        String user = newUser();
        given().auth().oauth2(TestTokens.user(user)).header("Idempotency-Key", "k").contentType("application/json")
                .body(Map.of("user_id", user, "amount_credits", 5, "credit_type", "admin_grant"))
                .post("/admin/credits/grants").then().statusCode(403);
        given().auth().oauth2(TestTokens.user(user)).contentType("application/json")
                .body(Map.of("hold_id", "h", "amount_credits", 5))
                .post("/internal/credits/accounts/" + user + "/holds").then().statusCode(403);
        assertEquals(0, balance(user));
    }
}
