package dev.tollgate.catalog.purchases;

import static dev.tollgate.catalog.support.Catalog.balance;
import static dev.tollgate.catalog.support.Catalog.grantCredits;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.tollgate.catalog.support.Catalog;
import dev.tollgate.catalog.support.CreditsServiceResource;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * What the recovery sweep does with orders a crash left between hold and capture: charge the ones whose tool
 * answer was recorded (the customer got the result), release the others (they got nothing).
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CreditsServiceResource.class)
class OrderRecoveryTest {

    @Inject
    OrderRepository orders;

    @Test
    void anAnsweredButUncapturedOrderIsChargedAndAnUnansweredOneReleased() {
        String product = Catalog.builtinProduct("text_stats", 4);
        Catalog.Customer c = Catalog.customer(product);
        grantCredits(c.userId(), 20);
        Order answered = interrupted(c, product, "ord_answered_" + Catalog.unique(), "{\"words\":3}");
        Order unanswered = interrupted(c, product, "ord_unanswered_" + Catalog.unique(), null);
        assertEquals(12, balance(c));

        await().atMost(Duration.ofSeconds(20)).until(() ->
                OrderState.SUCCEEDED.equals(orders.findById(answered.id).state)
                        && OrderState.FAILED.equals(orders.findById(unanswered.id).state));
        assertEquals(16, balance(c), "charged once for the answered call, nothing for the other");
        assertEquals("interrupted", orders.findById(unanswered.id).errorCode);
    }

    @Test
    void anAnsweredOrderWhoseHoldRanOutIsHeldAgainAndChargedOnce() {
        String product = Catalog.builtinProduct("text_stats", 4);
        Catalog.Customer c = Catalog.customer(product);
        grantCredits(c.userId(), 20);
        String id = "ord_ranout_" + Catalog.unique();
        hold(c, id, 4);
        release(c, id); // as credits-service does when a hold's TTL passes
        assertEquals(20, balance(c));
        // Stored only now: the sweep (every second here) must not find it before its hold ran out.
        Order answered = interruptedAfterItsHold(c, product, id, "{\"words\":3}");

        await().atMost(Duration.ofSeconds(20)).until(() -> OrderState.SUCCEEDED.equals(orders.findById(answered.id).state));
        assertEquals(16, balance(c), "charged once, under the second hold");
        given().baseUri(CreditsServiceResource.credits().baseUrl()).auth().oauth2(TestTokens.service("catalog"))
                .get("/internal/credits/accounts/" + c.userId() + "/holds/" + answered.id + ":held-again")
                .then().statusCode(200).body("data.hold.state", equalTo("captured"));
    }

    @Test
    void anAnsweredOrderWhoseHoldRanOutAndWhoseCreditIsGoneFailsUnchargedOnce() {
        String product = Catalog.builtinProduct("text_stats", 4);
        Catalog.Customer c = Catalog.customer(product);
        grantCredits(c.userId(), 4);
        String id = "ord_gone_" + Catalog.unique();
        hold(c, id, 4);
        release(c, id);
        hold(c, "spent-elsewhere-" + Catalog.unique(), 4); // the credit went to another purchase meanwhile
        assertEquals(0, balance(c));
        Order answered = interruptedAfterItsHold(c, product, id, "{\"words\":3}");

        await().atMost(Duration.ofSeconds(20)).until(() -> OrderState.FAILED.equals(orders.findById(answered.id).state));
        assertEquals("hold_expired", orders.findById(answered.id).errorCode);
        assertEquals(0, balance(c), "nothing charged for it, nothing given back that was not its");
    }

    private static void hold(Catalog.Customer c, String holdId, long credits) {
        given().baseUri(CreditsServiceResource.credits().baseUrl()).auth().oauth2(TestTokens.service("catalog"))
                .contentType("application/json").body(Map.of("hold_id", holdId, "amount_credits", credits))
                .post("/internal/credits/accounts/" + c.userId() + "/holds").then().statusCode(200);
    }

    private static void release(Catalog.Customer c, String holdId) {
        given().baseUri(CreditsServiceResource.credits().baseUrl()).auth().oauth2(TestTokens.service("catalog"))
                .contentType("application/json").post("/internal/credits/accounts/" + c.userId() + "/holds/" + holdId
                        + "/release")
                .then().statusCode(200);
    }

    /** An order exactly as a killed process leaves it: credit held, state HELD, last touched a while ago. */
    private Order interrupted(Catalog.Customer c, String product, String orderId, String resultJson) {
        hold(c, orderId, 4);
        return interruptedAfterItsHold(c, product, orderId, resultJson);
    }

    /** The order of a hold already placed (and perhaps released since), as a killed process leaves it. */
    private Order interruptedAfterItsHold(Catalog.Customer c, String product, String orderId, String resultJson) {
        Order o = new Order();
        o.id = orderId;
        o.userId = c.userId();
        o.budgetId = c.budgetId();
        o.productId = product;
        o.action = "analyze";
        o.parametersJson = "{\"action\":\"analyze\",\"text\":\"a b c\"}";
        o.priceCredits = 4;
        o.state = OrderState.HELD;
        o.resultJson = resultJson;
        o.createdAt = Instant.now().minusSeconds(60);
        o.updatedAt = o.createdAt;
        orders.persist(o);
        return o;
    }
}
