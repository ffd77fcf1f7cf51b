package dev.tollgate.catalog.purchases;

import static dev.tollgate.catalog.support.Catalog.balance;
import static dev.tollgate.catalog.support.Catalog.grantCredits;
import static dev.tollgate.catalog.support.Catalog.purchase;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import dev.tollgate.catalog.products.ProductRepository;
import dev.tollgate.catalog.support.Catalog;
import dev.tollgate.catalog.support.CreditsServiceResource;
import dev.tollgate.catalog.support.TestVendor;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.ServiceProcess;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CreditsServiceResource.class)
class PurchaseTest {

    static TestVendor vendor;
    static ServiceProcess gateway;

    @Inject
    OrderRepository orders;

    @Inject
    ProductRepository products;

    @BeforeAll
    static void startVendor() throws Exception {
        var stack = LocalStackTestResource.stack();
        gateway = new ServiceProcess("api-gateway", ServiceProcess.siblingJar("api-gateway"), stack, Map.of(
                "TOLLGATE_JWT_PUBLIC_KEY_LOCATION", stack.publicKey().toString(),
                "TOLLGATE_JWT_PRIVATE_KEY_LOCATION", stack.privateKey().toString())).start();
        vendor = TestVendor.trustingKeyFrom(gateway.baseUrl());
    }

    @AfterAll
    static void stopVendor() throws InterruptedException {
        vendor.close();
        gateway.close();
    }

    @Test
    void aSuccessfulCallIsChargedExactlyItsPriceOnceEvenWhenRetried() {
        String tool = Catalog.builtinProduct("text_stats", 5);
        Catalog.Customer c = Catalog.customer(tool);
        grantCredits(c.userId(), 100);
        Map<String, Object> body = Map.of("product_id", tool,
                "parameters", Map.of("action", "analyze", "text", "The cat sat. The cat ran!"));
        String orderId = given().auth().oauth2(c.token()).header("Idempotency-Key", "retry-me").contentType("application/json")
                .body(body).post("/products/purchase").then().statusCode(200)
                .body("success", equalTo(true))
                .body("data.words", equalTo(6))
                .body("data.sentences", equalTo(2))
                .body("data.top_words[0].word", equalTo("cat"))
                .body("order_id", startsWith("ord_"))
                .body("instance_id", startsWith("inst_"))
                .extract().path("order_id");
        given().auth().oauth2(c.token()).header("Idempotency-Key", "retry-me").contentType("application/json")
                .body(body).post("/products/purchase").then().statusCode(200).body("order_id", equalTo(orderId));
        assertEquals(95, balance(c));
        assertEquals(OrderState.SUCCEEDED, orders.findById(orderId).state);
        given().baseUri(CreditsServiceResource.credits().baseUrl()).auth().oauth2(c.token()).get("/credits/history")
                .then().body("data.transactions[0].transaction_type", equalTo("purchase"))
                .body("data.transactions[0].amount_credits", equalTo(-5));
    }

    @Test
    void aKeyReusedForADifferentPurchaseIsRefusedAndNothingMoreIsCharged() {
        String tool = Catalog.builtinProduct("text_stats", 5);
        String other = Catalog.builtinProduct("text_stats", 7);
        Catalog.Customer c = Catalog.customer(tool, other);
        grantCredits(c.userId(), 100);
        Map<String, Object> first = Map.of("product_id", tool, "parameters", Map.of("action", "analyze", "text", "One."));
        String orderId = buyWithKey(c, "key-once", first).statusCode(200).extract().path("order_id");
        // The same purchase, its keys in another order: the first order again.
        buyWithKey(c, "key-once", Map.of("parameters", Map.of("text", "One.", "action", "analyze"), "product_id", tool))
                .statusCode(200).body("order_id", equalTo(orderId));
        // Other text, and another product: it used to answer the first order as if these had happened.
        buyWithKey(c, "key-once", Map.of("product_id", tool, "parameters", Map.of("action", "analyze", "text", "Two.")))
                .statusCode(409).body("error", equalTo("idempotency_key_reused"));
        buyWithKey(c, "key-once", Map.of("product_id", other, "parameters", Map.of("action", "analyze", "text", "One.")))
                .statusCode(409).body("error", equalTo("idempotency_key_reused"));
        assertEquals(95, balance(c));
    }

    @Test
    void aWorkflowStepsOrderKeyAnswersItsFirstPurchaseWhateverTheRetryRendered() {
        // A step taken over after a crash may render other parameters (a model step before it answered differently):
        // its purchase is still the first one, charged once, and the run must not fail over a charge it made.
        String tool = Catalog.builtinProduct("text_stats", 5);
        Catalog.Customer c = Catalog.customer(tool);
        grantCredits(c.userId(), 100);
        String first = buyAsStep(c, tool, "run:r1:step:s1", "First attempt.").statusCode(200).extract().path("order_id");
        String again = buyAsStep(c, tool, "run:r1:step:s1", "Second attempt, other words.").statusCode(200)
                .extract().path("order_id");
        assertEquals(first, again);
        assertEquals(95, balance(c));

        // The step keys are predictable: the run's owner buying first under one must not stand in for the step.
        buyWithKey(c, "run:r2:step:s1", Map.of("product_id", tool, "parameters", Map.of("action", "analyze", "text", "x")))
                .statusCode(200);
        buyAsStep(c, tool, "run:r2:step:s1", "x").statusCode(409).body("error", equalTo("idempotency_key_reused"));
    }

    /** A workflow step's purchase, as the worker makes it: a service token and the step's order key. */
    private static io.restassured.response.ValidatableResponse buyAsStep(Catalog.Customer c, String tool, String key,
            String text) {
        return given().auth().oauth2(dev.tollgate.localstack.testing.TestTokens.service("workflow-service"))
                .contentType("application/json").body(Map.of("user_id", c.userId(), "budget_id", c.budgetId(),
                        "product_id", tool, "idempotency_key", key, "parameters", Map.of("action", "analyze", "text", text)))
                .post("/internal/purchases").then();
    }

    private static io.restassured.response.ValidatableResponse buyWithKey(Catalog.Customer c, String key,
            Map<String, Object> body) {
        return given().auth().oauth2(c.token()).header("Idempotency-Key", key).contentType("application/json")
                .body(body).post("/products/purchase").then();
    }

    @Test
    void parametersAreValidatedAgainstTheActionSchema() {
        String tool = Catalog.builtinProduct("text_stats", 5);
        Catalog.Customer c = Catalog.customer(tool);
        grantCredits(c.userId(), 100);
        purchase(c, tool, Map.of("action", "analyze")).then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body", "parameters", "text")))
                .body("detail[0].type", equalTo("missing"));
        purchase(c, tool, Map.of("action", "extract", "text", "x", "kind", "phones")).then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body", "parameters", "kind")));
        purchase(c, tool, Map.of("action", "fly")).then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body", "parameters", "action")));
        given().auth().oauth2(c.token()).contentType("application/json").body(Map.of("product_id", tool))
                .post("/products/purchase").then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body", "parameters")));
        assertEquals(100, balance(c));
    }

    @Test
    void stableErrorsForUnknownProductsOtherBudgetsAndEmptyWallets() {
        String tool = Catalog.builtinProduct("text_stats", 500);
        Catalog.Customer c = Catalog.customer(tool);
        grantCredits(c.userId(), 100);
        purchase(c, "000000000000000000000000", Map.of("action", "analyze", "text", "x")).then().statusCode(404)
                .body("detail", equalTo("Product not found"));
        String other = Catalog.builtinProduct("json_query", 1);
        purchase(c, other, Map.of("action", "query", "document", Map.of(), "path", "$")).then().statusCode(403)
                .body("error", equalTo("product_not_on_budget"));
        purchase(c, tool, Map.of("action", "analyze", "text", "x")).then().statusCode(402)
                .body("error", equalTo("insufficient_credits"));
        assertEquals(100, balance(c));
    }

    @Test
    void aFailingToolIsNeverCharged() {
        String tool = Catalog.vendorProduct(vendor.url(), 7, Map.of("type", "object"));
        vendor.expectAudience(tool);
        vendor.mode(TestVendor.Mode.FAIL);
        Catalog.Customer c = Catalog.customer(tool);
        grantCredits(c.userId(), 50);
        String detail = purchase(c, tool, Map.of("action", "run")).then().statusCode(502)
                .body("error", equalTo("tool_failed")).extract().path("detail");
        assertTrue(detail.contains("nothing was charged"), detail);
        assertEquals(50, balance(c));
    }

    @Test
    void aVendorCallCarriesAPlatformSignedTokenForItsProduct() {
        // The vendor trusts only the key the gateway publishes at /public/jwt-public-key.
        String tool = Catalog.vendorProduct(vendor.url(), 7, Map.of("type", "object",
                "properties", Map.of("q", Map.of("type", "string")), "required", List.of("q")));
        vendor.expectAudience(tool);
        vendor.mode(TestVendor.Mode.ANSWER);
        Catalog.Customer c = Catalog.customer(tool);
        grantCredits(c.userId(), 50);
        purchase(c, tool, Map.of("action", "run", "q", "hello")).then().statusCode(200)
                .body("data.vendor", equalTo("test"))
                .body("data.echo.action", equalTo("run"))
                .body("data.echo.parameters.q", equalTo("hello"));
        assertTrue(vendor.verifiedCalls.stream().anyMatch(claims -> {
            try {
                return claims.getSubject().equals(c.userId()) && claims.getAudience().contains(tool);
            } catch (Exception e) {
                return false;
            }
        }), "the vendor verified a token naming the user and its product; rejected: " + vendor.rejectedCalls);
        assertEquals(43, balance(c));
    }

    @Test
    void aVendorEndpointIsCheckedAgainAtEveryCallAndABlockedOneIsNotCharged() {
        // A product saved before the egress rules (or whose name now resolves elsewhere): the call is refused and
        // nothing reaches the address (issue 17 item 9).
        String tool = Catalog.vendorProduct(vendor.url(), 7, Map.of("type", "object"));
        products.update("vendorUrl", "https://169.254.169.254/latest/meta-data").where("_id",
                new org.bson.types.ObjectId(tool));
        products.productsChanged();
        Catalog.Customer c = Catalog.customer(tool);
        grantCredits(c.userId(), 50);
        String detail = purchase(c, tool, Map.of("action", "run")).then().statusCode(502)
                .body("error", equalTo("tool_failed")).extract().path("detail");
        assertTrue(detail.contains("vendor_blocked") || detail.contains("cloud metadata"), detail);
        assertEquals(50, balance(c));
    }

    @Test
    void aVendorThatHangsTimesOutAndIsNotCharged() {
        String tool = Catalog.vendorProduct(vendor.url(), 7, Map.of("type", "object"));
        vendor.expectAudience(tool);
        vendor.mode(TestVendor.Mode.HANG);
        Catalog.Customer c = Catalog.customer(tool);
        grantCredits(c.userId(), 50);
        purchase(c, tool, Map.of("action", "run")).then().statusCode(502).body("error", equalTo("tool_failed"));
        assertEquals(50, balance(c));
        vendor.mode(TestVendor.Mode.ANSWER);
    }

    @Test
    void memoryIsScopedToTheCallersInstance() {
        String kv = Catalog.builtinProduct("kv_memory", 1);
        Catalog.Customer alice = Catalog.customer(kv);
        Catalog.Customer mallory = Catalog.customer(kv);
        grantCredits(alice.userId(), 10);
        grantCredits(mallory.userId(), 10);
        given().auth().oauth2(alice.token()).header("x-instance-id", "inst_shared").contentType("application/json")
                .body(Map.of("product_id", kv, "parameters", Map.of("action", "set", "key", "plan", "value", Map.of("step", 2))))
                .post("/products/purchase").then().statusCode(200).body("instance_id", equalTo("inst_shared"));
        given().auth().oauth2(alice.token()).header("x-instance-id", "inst_shared").contentType("application/json")
                .body(Map.of("product_id", kv, "parameters", Map.of("action", "get", "key", "plan")))
                .post("/products/purchase").then().statusCode(200).body("data.value.step", equalTo(2));
        given().auth().oauth2(mallory.token()).header("x-instance-id", "inst_shared").contentType("application/json")
                .body(Map.of("product_id", kv, "parameters", Map.of("action", "get", "key", "plan")))
                .post("/products/purchase").then().statusCode(200).body("data.found", equalTo(false));
        given().auth().oauth2(alice.token()).header("x-instance-id", "inst_shared").contentType("application/json")
                .body(Map.of("product_id", kv, "parameters", Map.of("action", "list")))
                .post("/products/purchase").then().statusCode(200).body("data.keys", hasItem("plan"));
    }

    @Test
    void jsonQueryAndWaitDoTheirJobs() {
        String jq = Catalog.builtinProduct("json_query", 1);
        String wait = Catalog.builtinProduct("wait", 1);
        Catalog.Customer c = Catalog.customer(jq, wait);
        grantCredits(c.userId(), 10);
        purchase(c, jq, Map.of("action", "query", "path", "$.items[*].id",
                "document", Map.of("items", List.of(Map.of("id", 1), Map.of("id", 2))))).then().statusCode(200)
                .body("data.matches", equalTo(List.of(1, 2)));
        purchase(c, wait, Map.of("action", "wait", "seconds", 0.2)).then().statusCode(200);
        purchase(c, wait, Map.of("action", "wait", "seconds", 61)).then().statusCode(422);
        assertEquals(8, balance(c));
    }
}
