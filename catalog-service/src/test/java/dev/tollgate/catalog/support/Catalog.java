package dev.tollgate.catalog.support;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tollgate.localstack.testing.TestTokens;
import io.restassured.response.Response;

/** Test fixtures built through the catalog's own admin API (and credits-service's, for money). */
public final class Catalog {

    public static final String ADMIN = TestTokens.admin("catalog-test-admin");

    private Catalog() {
    }

    public static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    public static Response createProduct(Map<String, Object> definition) {
        return given().auth().oauth2(ADMIN).contentType("application/json").body(definition).post("/admin/products");
    }

    public static String builtinProduct(String tool, long price) {
        String u = unique();
        return createProduct(Map.of("slug", tool.replace('_', '-') + "-" + u, "name", tool + "_" + u,
                "display_name", "Built-in " + tool, "description", "The " + tool + " tool", "price_credits", price,
                "invocation", Map.of("type", "builtin", "tool", tool)))
                .then().statusCode(201).extract().path("data.product.product_id");
    }

    public static String vendorProduct(String url, long price, Map<String, Object> schema) {
        String u = unique();
        return createProduct(Map.of("slug", "vendor-" + u, "name", "vendor_" + u, "display_name", "Vendor tool",
                "description", "Calls a vendor", "price_credits", price,
                "invocation", Map.of("type", "vendor", "url", url),
                "actions", List.of(Map.of("name", "run", "description", "Run it", "parameters_schema", schema))))
                .then().statusCode(201).extract().path("data.product.product_id");
    }

    /** A user with a budget (enabling {@code productIds}) and a token naming both. */
    public record Customer(String userId, String budgetId, String token) {
    }

    public static Customer customer(String... productIds) {
        String user = "user-" + unique();
        String budgetId = given().auth().oauth2(ADMIN).contentType("application/json")
                .body(Map.of("owner_user_id", user, "name", "budget of " + user)).post("/admin/budgets")
                .then().statusCode(201).extract().path("data.budget_id");
        for (String p : productIds) {
            given().auth().oauth2(ADMIN).put("/admin/budgets/" + budgetId + "/products/" + p).then().statusCode(200);
        }
        return new Customer(user, budgetId, TestTokens.user(user, budgetId));
    }

    public static void grantCredits(String userId, long credits) {
        given().baseUri(CreditsServiceResource.credits().baseUrl()).auth().oauth2(ADMIN)
                .header("Idempotency-Key", "grant-" + unique()).contentType("application/json")
                .body(Map.of("user_id", userId, "amount_credits", credits, "credit_type", "admin_grant"))
                .post("/admin/credits/grants").then().statusCode(201);
    }

    public static long balance(Customer c) {
        return given().baseUri(CreditsServiceResource.credits().baseUrl()).auth().oauth2(c.token())
                .get("/credits/balance").then().statusCode(200).extract().jsonPath().getLong("data.balance");
    }

    public static Response purchase(Customer c, String productId, Map<String, Object> parameters) {
        return given().auth().oauth2(c.token()).contentType("application/json")
                .body(Map.of("product_id", productId, "parameters", parameters)).post("/products/purchase");
    }
}
