package dev.tollgate.catalog.contracts;

import static dev.tollgate.catalog.support.Catalog.ADMIN;
import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.State;
import au.com.dius.pact.provider.junitsupport.loader.PactFilter;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import dev.tollgate.catalog.support.Catalog;
import dev.tollgate.catalog.support.CreditsServiceResource;
import dev.tollgate.contracts.CommittedPacts;
import dev.tollgate.contracts.InteractionKinds;
import dev.tollgate.contracts.ProviderVerification;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.bson.types.ObjectId;

/**
 * catalog-service keeps the contracts its consumers committed (contracts/pacts): the gateway's API-key exchange and
 * embed look-ups, workflow-service's authorizations, product checks, credential reads and step purchases. Each
 * interaction is replayed against this service, with the provider state made through its own admin API (and the
 * real credits-service for the money a purchase needs).
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CreditsServiceResource.class)
@Provider("catalog-service")
@PactFolder(CommittedPacts.COMMITTED)
@PactFilter(value = "http", filter = InteractionKinds.Http.class)
class CatalogProviderPactTest extends ProviderVerification {

    @Override
    protected String serviceToken(String consumer) {
        return TestTokens.service(consumer);
    }

    @State({ "no API key is live", "no product is called no-such-product",
            "no bundle has the id 000000000000000000000000", "no budget has the id 000000000000000000000000" })
    void nothingToSetUp() {
        // Fixtures get fresh random ids and keys, so what these states rule out never exists.
    }

    // --- api-gateway

    @State("an API key is live for a user with the user role")
    Map<String, Object> liveApiKey() {
        String budgetId = Catalog.customer().budgetId();
        String apiKey = given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("roles", List.of("user")))
                .post("/admin/budgets/" + budgetId + "/api-keys").then().statusCode(201).extract().path("data.api_key");
        return Map.of("apiKey", apiKey);
    }

    @State("an active product with an action")
    Map<String, Object> activeProduct() {
        return Map.of("productId", Catalog.builtinProduct("text_stats", 5));
    }

    @State("a bundle with an active product and a workflow")
    Map<String, Object> bundle() {
        String bundleId = given().auth().oauth2(ADMIN).contentType("application/json")
                .body(Map.of("name", "Everything for support", "description", "Chats and tools",
                        "product_ids", List.of(Catalog.builtinProduct("text_stats", 5)),
                        "workflow_ids", List.of(new ObjectId().toHexString())))
                .post("/admin/bundles").then().statusCode(201).extract().path("data.bundle.bundle_id");
        return Map.of("bundleId", bundleId);
    }

    // --- workflow-service

    @State("a budget with the workflow and the credential openai_key")
    Map<String, Object> workflowOnBudget() {
        String budgetId = budgetWithCredential();
        String workflowId = new ObjectId().toHexString();
        given().auth().oauth2(ADMIN).put("/admin/budgets/" + budgetId + "/workflows/" + workflowId).then()
                .statusCode(200);
        return Map.of("budgetId", budgetId, "workflowId", workflowId);
    }

    @State("a budget without the workflow or any credential")
    Map<String, Object> workflowNotOnBudget() {
        return Map.of("budgetId", Catalog.customer().budgetId(), "workflowId", new ObjectId().toHexString());
    }

    @State("a budget with the credential openai_key")
    Map<String, Object> credential() {
        return Map.of("budgetId", budgetWithCredential());
    }

    @State("a budget without any credential")
    Map<String, Object> noCredential() {
        return Map.of("budgetId", Catalog.customer().budgetId());
    }

    @State("a user with credits and a budget that enables a product")
    Map<String, Object> buyerWithCredits() {
        String productId = Catalog.builtinProduct("text_stats", 5);
        Catalog.Customer buyer = Catalog.customer(productId);
        Catalog.grantCredits(buyer.userId(), 1000);
        return buyer(buyer, productId);
    }

    @State("a user without credits and a budget that enables a product")
    Map<String, Object> buyerWithoutCredits() {
        String productId = Catalog.builtinProduct("text_stats", 5);
        return buyer(Catalog.customer(productId), productId);
    }

    @State("a user with credits and a budget that does not enable a product")
    Map<String, Object> productNotOnBudget() {
        Catalog.Customer buyer = Catalog.customer();
        Catalog.grantCredits(buyer.userId(), 1000);
        return buyer(buyer, Catalog.builtinProduct("text_stats", 5));
    }

    private static Map<String, Object> buyer(Catalog.Customer buyer, String productId) {
        return Map.of("userId", buyer.userId(), "budgetId", buyer.budgetId(), "productId", productId);
    }

    private static String budgetWithCredential() {
        String budgetId = Catalog.customer().budgetId();
        given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("value", "sk-test"))
                .put("/admin/budgets/" + budgetId + "/credentials/openai_key").then().statusCode(200);
        return budgetId;
    }
}
