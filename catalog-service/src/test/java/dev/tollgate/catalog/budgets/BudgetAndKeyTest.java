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
