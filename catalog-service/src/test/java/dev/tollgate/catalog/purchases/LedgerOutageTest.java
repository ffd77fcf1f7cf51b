package dev.tollgate.catalog.purchases;

import static dev.tollgate.catalog.support.Catalog.balance;
import static dev.tollgate.catalog.support.Catalog.grantCredits;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tollgate.catalog.support.Catalog;
import dev.tollgate.catalog.support.CreditsServiceResource;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Purchases answer only what is true while the credit ledger cannot be reached: a tool that answered before the
 * charge could be taken is a purchase made (its result, "settlement": "pending"), charged once later by the recovery
 * sweep, never "nothing was charged"; and the sweep takes the oldest unsettled orders first.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CreditsServiceResource.class)
@TestProfile(LedgerOutageTest.WithUnreachableLedger.class)
class LedgerOutageTest {

    public static class WithUnreachableLedger implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(UnreachableLedgerHolds.class);
        }
    }

    @Inject
    UnreachableLedgerHolds ledger;

    @Inject
    OrderRepository orders;

    @Test
    void aToolThatAnsweredBeforeTheChargeCouldBeTakenIsAPurchaseChargedOnceLater() {
        String product = Catalog.builtinProduct("text_stats", 4);
        Catalog.Customer c = Catalog.customer(product);
        grantCredits(c.userId(), 20);
        ledger.failNextCapture(c.userId());
        Map<String, Object> body = Map.of("product_id", product,
                "parameters", Map.of("action", "analyze", "text", "one two three"));

        String orderId = given().auth().oauth2(c.token()).header("Idempotency-Key", "charge-later")
                .contentType("application/json").body(body).post("/products/purchase").then().statusCode(200)
                .body("data.words", equalTo(3))
                .body("charged_credits", equalTo(4))
                .body("settlement", equalTo("pending"))
                .extract().path("order_id");
        assertEquals(16, balance(c), "the price is held, not given back");

        // The recovery sweep charges it once the ledger answers; the same key then answers the settled purchase.
        await().atMost(Duration.ofSeconds(30)).until(() -> OrderState.SUCCEEDED.equals(orders.findById(orderId).state));
        given().auth().oauth2(c.token()).header("Idempotency-Key", "charge-later").contentType("application/json")
                .body(body).post("/products/purchase").then().statusCode(200)
                .body("order_id", equalTo(orderId))
                .body("settlement", nullValue());
        assertEquals(16, balance(c), "charged once");
        given().baseUri(CreditsServiceResource.credits().baseUrl()).auth().oauth2(c.token()).get("/credits/history")
                .then().body("data.transactions.findAll { it.transaction_type == 'purchase' }.size()", equalTo(1));
    }

    @Test
    void theRecoverySweepTakesTheOldestUnsettledOrdersFirst() {
        String userId = "sweep-order-" + Catalog.unique();
        ledger.unreachableFor(userId); // none of these can be settled, so the sweep leaves them as they are
        // Written newest first, so that the store's natural order is not the age order.
        for (int second = 3; second >= 1; second--) {
            Order o = new Order();
            o.id = "ord_sweep_" + second + "_" + Catalog.unique();
            o.userId = userId;
            o.budgetId = "b";
            o.productId = "p";
            o.action = "analyze";
            o.parametersJson = "{}";
            o.priceCredits = 1;
            o.state = OrderState.PENDING;
            o.createdAt = Instant.parse("2000-01-01T00:00:00Z").plusSeconds(second);
            o.updatedAt = o.createdAt;
            orders.persist(o);
        }
        List<String> taken = orders.unsettledBefore(Instant.parse("2000-01-02T00:00:00Z"), 2).stream()
                .map(o -> o.id.substring(0, "ord_sweep_1".length())).toList();
        assertEquals(List.of("ord_sweep_1", "ord_sweep_2"), taken);
    }
}
