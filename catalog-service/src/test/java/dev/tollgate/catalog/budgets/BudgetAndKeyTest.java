package dev.tollgate.catalog.budgets;

import static dev.tollgate.catalog.support.Catalog.ADMIN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.tollgate.catalog.support.Catalog;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class BudgetAndKeyTest {

    @Inject
    MongoClient mongo;

    @Inject
    CredentialCipher cipher;

    @Test
    void anApiKeyIsShownOnceStoredHashedAndExchangedForItsUserAndBudget() {
        Catalog.Customer c = Catalog.customer();
        String key = given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("label", "laptop"))
                .post("/admin/budgets/" + c.budgetId() + "/api-keys").then().statusCode(201)
                .body("data.api_key", startsWith("tg_"))
                .extract().path("data.api_key");

        Document stored = mongo.getDatabase("tollgate-catalog").getCollection("api_keys")
                .find(Filters.eq("budgetId", c.budgetId())).first();
        assertFalse(stored.toJson().contains(key), "the key itself is never stored");

        given().auth().oauth2(TestTokens.service("api-gateway")).contentType("application/json")
                .body(Map.of("api_key", key)).post("/internal/api-keys/verify").then().statusCode(200)
                .body("data.user_id", equalTo(c.userId()))
                .body("data.budget_id", equalTo(c.budgetId()))
                .body("data.roles", equalTo(List.of("user")));
        given().auth().oauth2(TestTokens.service("api-gateway")).contentType("application/json")
                .body(Map.of("api_key", key + "x")).post("/internal/api-keys/verify").then().statusCode(401)
                .body("error", equalTo("invalid_api_key"));
        given().auth().oauth2(c.token()).contentType("application/json")
                .body(Map.of("api_key", key)).post("/internal/api-keys/verify").then().statusCode(403);
    }

    @Test
    void aJsonNullBodyIssuesAKeyWithTheDefaultsLikeNoBody() {
        // What a generated client sends for the optional body left out: null with a JSON content type.
        Catalog.Customer c = Catalog.customer();
        given().auth().oauth2(ADMIN).contentType("application/json").body("null")
                .post("/admin/budgets/" + c.budgetId() + "/api-keys").then().statusCode(201)
                .body("data.api_key", startsWith("tg_"));
    }

    @Test
    void anApiKeyIsRevokedByItsOwnerOrAnAdminAndExchangesForNothingFromThen() {
        // issue 17 item 11: revokedAt was read at every exchange and never written
        Catalog.Customer c = Catalog.customer();
        String laptop = issueKey(c, "laptop");
        String agent = issueKey(c, "agent");
        java.util.List<Map<String, Object>> keys = given().auth().oauth2(c.token())
                .get("/admin/budgets/" + c.budgetId() + "/api-keys").then().statusCode(200)
                .body("data.api_keys.label", equalTo(List.of("agent", "laptop")))
                .body("data.api_keys.revoked_at", equalTo(java.util.Arrays.asList(null, null)))
                .extract().path("data.api_keys");
        assertFalse(keys.toString().contains(laptop), "a listing never shows a key");
        String laptopId = (String) keys.get(1).get("key_id");
        String agentId = (String) keys.get(0).get("key_id");

        String revokedAt = given().auth().oauth2(c.token())
                .delete("/admin/budgets/" + c.budgetId() + "/api-keys/" + laptopId).then().statusCode(200)
                .body("data.api_key.key_id", equalTo(laptopId))
                .extract().path("data.api_key.revoked_at");
        exchange(laptop).statusCode(401).body("error", equalTo("invalid_api_key"));
        exchange(agent).statusCode(200);
        // again: nothing changes, not even the time
        given().auth().oauth2(c.token()).delete("/admin/budgets/" + c.budgetId() + "/api-keys/" + laptopId)
                .then().statusCode(200).body("data.api_key.revoked_at", equalTo(revokedAt));

        Catalog.Customer other = Catalog.customer();
        given().auth().oauth2(other.token()).delete("/admin/budgets/" + c.budgetId() + "/api-keys/" + agentId)
                .then().statusCode(404).body("error", equalTo("not_found")).body("detail", equalTo("Budget not found"));
        given().auth().oauth2(other.token()).delete("/admin/budgets/" + other.budgetId() + "/api-keys/" + agentId)
                .then().statusCode(404).body("error", equalTo("api_key_not_found"));
        given().auth().oauth2(c.token()).delete("/admin/budgets/" + c.budgetId() + "/api-keys/not-an-id")
                .then().statusCode(404).body("error", equalTo("api_key_not_found"));
        exchange(agent).statusCode(200);
        given().auth().oauth2(ADMIN).delete("/admin/budgets/" + c.budgetId() + "/api-keys/" + agentId)
                .then().statusCode(200);
        exchange(agent).statusCode(401);
    }

    private static String issueKey(Catalog.Customer c, String label) {
        return given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("label", label))
                .post("/admin/budgets/" + c.budgetId() + "/api-keys").then().statusCode(201)
                .extract().path("data.api_key");
    }

    private static io.restassured.response.ValidatableResponse exchange(String key) {
        return given().auth().oauth2(TestTokens.service("api-gateway")).contentType("application/json")
                .body(Map.of("api_key", key)).post("/internal/api-keys/verify").then();
    }

    @Test
    void credentialsAreEncryptedAtRestAndNeverReturnedInFull() {
        Catalog.Customer c = Catalog.customer();
        String secret = "ghp_supersecretvalue1234";
        given().auth().oauth2(c.token()).contentType("application/json").body(Map.of("value", secret))
                .put("/admin/budgets/" + c.budgetId() + "/credentials/github_token").then().statusCode(200)
                .body("data.credentials[0].key", equalTo("github_token"))
                .body("data.credentials[0].last4", equalTo("1234"));
        Document budget = mongo.getDatabase("tollgate-catalog").getCollection("budgets")
                .find(Filters.eq("_id", new ObjectId(c.budgetId()))).first();
        assertFalse(budget.toJson().contains(secret));
        String ciphertext = budget.get("credentials", Document.class).get("github_token", Document.class)
                .getString("ciphertext");
        assertEquals(secret, cipher.decrypt(ciphertext));
    }

    @Test
    void anotherUsersBudgetIsA404() {
        Catalog.Customer owner = Catalog.customer();
        Catalog.Customer other = Catalog.customer();
        given().auth().oauth2(other.token()).get("/admin/budgets/" + owner.budgetId()).then().statusCode(404);
        given().auth().oauth2(other.token()).contentType("application/json").body(Map.of("value", "x"))
                .put("/admin/budgets/" + owner.budgetId() + "/credentials/k").then().statusCode(404);
        given().auth().oauth2(owner.token()).get("/admin/budgets/" + owner.budgetId()).then().statusCode(200);
    }
}
