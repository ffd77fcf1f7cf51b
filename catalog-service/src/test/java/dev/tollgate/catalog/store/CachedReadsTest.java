package dev.tollgate.catalog.store;

import static dev.tollgate.catalog.support.Catalog.ADMIN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import dev.tollgate.catalog.support.Catalog;
import dev.tollgate.catalog.support.CreditsServiceResource;
import dev.tollgate.localstack.testing.DocsExamined;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Budgets, products and budget-product pairs are read from short-lived caches on the trigger and purchase paths
 * (the store examines nothing for them on a repeat), and a change made through this service is seen by the very next
 * request, not after the cache's TTL (5 s here, far longer than each test's steps).
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CreditsServiceResource.class)
class CachedReadsTest {

    static final String SERVICE = TestTokens.service("workflow-service");

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    @Test
    void aRepeatedAuthorizationReadsNothingAndBudgetChangesAreSeenAtOnce() {
        Catalog.Customer c = Catalog.customer();
        given().auth().oauth2(ADMIN).put("/admin/budgets/" + c.budgetId() + "/workflows/wf-cached")
                .then().statusCode(200);
        authorize(c.budgetId(), "wf-cached", List.of()).body("data.allowed", equalTo(true));

        long again = DocsExamined.during(db(), () -> authorize(c.budgetId(), "wf-cached", List.of())
                .body("data.allowed", equalTo(true)));
        assertEquals(0, again, "the budget came from the cache");

        // A credential the owner sets is there for the next authorization.
        authorize(c.budgetId(), "wf-cached", List.of("api_token")).body("data.allowed", equalTo(false))
                .body("data.blockers", equalTo(List.of("missing_credentials")));
        given().auth().oauth2(c.token()).contentType("application/json").body(Map.of("value", "secret-1234"))
                .put("/admin/budgets/" + c.budgetId() + "/credentials/api_token").then().statusCode(200);
        authorize(c.budgetId(), "wf-cached", List.of("api_token")).body("data.allowed", equalTo(true));

        // A workflow an admin takes off the budget is refused by the next authorization.
        given().auth().oauth2(ADMIN).delete("/admin/budgets/" + c.budgetId() + "/workflows/wf-cached")
                .then().statusCode(200);
        authorize(c.budgetId(), "wf-cached", List.of()).body("data.allowed", equalTo(false))
                .body("data.blockers", equalTo(List.of("workflow_not_on_budget")));
    }

    @Test
    void aRepeatedPurchaseReadsOnlyItsOrderAndCatalogChangesAreSeenAtOnce() {
        String product = Catalog.builtinProduct("text_stats", 2);
        Catalog.Customer c = Catalog.customer(product);
        Catalog.grantCredits(c.userId(), 50);
        Map<String, Object> parameters = Map.of("action", "analyze", "text", "One fish. Two fish!");
        Catalog.purchase(c, product, parameters).then().statusCode(200);

        long again = DocsExamined.during(db(), () -> Catalog.purchase(c, product, parameters).then().statusCode(200)
                .body("data.words", equalTo(4)));
        // The order's two conditional updates and the new instance it records; no product, budget or pair read.
        assertTrue(again <= 3, "a repeated purchase examined " + again + " documents");

        given().auth().oauth2(ADMIN).delete("/admin/budgets/" + c.budgetId() + "/products/" + product)
                .then().statusCode(200);
        Catalog.purchase(c, product, parameters).then().statusCode(403)
                .body("error", equalTo("product_not_on_budget"));
        given().auth().oauth2(ADMIN).put("/admin/budgets/" + c.budgetId() + "/products/" + product)
                .then().statusCode(200);
        Catalog.purchase(c, product, parameters).then().statusCode(200);

        given().auth().oauth2(ADMIN).post("/admin/products/" + product + "/retire").then().statusCode(200);
        Catalog.purchase(c, product, parameters).then().statusCode(404).body("error", equalTo("product_not_found"));
        assertEquals(50 - 3 * 2, Catalog.balance(c), "three purchases charged, the refused ones not");
    }

    @Test
    void anEchoedInstanceIdIsWrittenOnceAndNewMetadataStillIs() {
        String product = Catalog.builtinProduct("text_stats", 0);
        Catalog.Customer c = Catalog.customer(product);
        Map<String, Object> parameters = Map.of("action", "analyze", "text", "hello");
        String instance = "inst_" + Catalog.unique();
        purchaseIn(c, product, parameters, instance, null);
        assertEquals(1, db().getCollection("instances").countDocuments(new Document("_id", c.userId() + "/" + instance)));

        long echoed = DocsExamined.during(db(), "instances", () -> purchaseIn(c, product, parameters, instance, null));
        assertEquals(0, echoed, "an instance this replica recorded is not written again");

        purchaseIn(c, product, parameters, instance, "{\"agent\":\"v2\"}");
        assertEquals("{\"agent\":\"v2\"}", db().getCollection("instances")
                .find(new Document("_id", c.userId() + "/" + instance)).first().getString("metadata"));
    }

    @Test
    void anInstanceMintedForThePurchaseIsWrittenOnlyOnceEchoed() {
        String product = Catalog.builtinProduct("text_stats", 0);
        Catalog.Customer c = Catalog.customer(product);
        Map<String, Object> parameters = Map.of("action", "analyze", "text", "hello");
        String minted = Catalog.purchase(c, product, parameters).then().statusCode(200).extract().path("instance_id");
        assertTrue(minted.startsWith("inst_"), minted);
        assertEquals(0, db().getCollection("instances").countDocuments(new Document("_id", c.userId() + "/" + minted)),
                "a minted id without metadata writes nothing");

        purchaseIn(c, product, parameters, minted, null);
        assertEquals(1, db().getCollection("instances").countDocuments(new Document("_id", c.userId() + "/" + minted)),
                "echoed, it is recorded");
    }

    private static void purchaseIn(Catalog.Customer c, String product, Map<String, Object> parameters, String instance,
            String metadata) {
        var request = given().auth().oauth2(c.token()).header("x-instance-id", instance).contentType("application/json");
        if (metadata != null) {
            request.header("x-instance-metadata", metadata);
        }
        request.body(Map.of("product_id", product, "parameters", parameters)).post("/products/purchase").then()
                .statusCode(200).body("instance_id", equalTo(instance));
    }

    private static io.restassured.response.ValidatableResponse authorize(String budgetId, String workflowId,
            List<String> credentials) {
        return given().auth().oauth2(SERVICE).contentType("application/json")
                .body(Map.of("budget_id", budgetId, "workflow_id", workflowId, "required_credentials", credentials))
                .post("/internal/workflow-authorizations").then().statusCode(200);
    }

    private MongoDatabase db() {
        return mongo.getDatabase(database);
    }
}
