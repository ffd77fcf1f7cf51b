package dev.tollgate.catalog.products;

import static dev.tollgate.catalog.support.Catalog.ADMIN;
import static dev.tollgate.catalog.support.Catalog.createProduct;
import static dev.tollgate.catalog.support.Catalog.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import dev.tollgate.catalog.support.Catalog;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class ProductAdminTest {

    @Test
    void aBuiltInProductTakesItsActionsAndSchemasFromTheTool() {
        String id = Catalog.builtinProduct("kv_memory", 3);
        given().auth().oauth2(ADMIN).get("/admin/products/" + id).then().statusCode(200)
                .body("data.product.actions.name", equalTo(List.of("set", "get", "delete", "list")))
                .body("data.product.actions[0].parameters_schema.required", equalTo(List.of("key", "value")))
                .body("data.product.invocation.type", equalTo("builtin"))
                .body("data.product.status", equalTo("active"))
                .body("data.product.price_credits", equalTo(3));
    }

    @Test
    void servicesReadWhatAPurchaseFormNeedsAndUsersMayNot() {
        String id = Catalog.builtinProduct("text_stats", 5);
        given().auth().oauth2(TestTokens.service("api-gateway")).get("/internal/products/" + id).then().statusCode(200)
                .body("data.product.product_id", equalTo(id))
                .body("data.product.status", equalTo("active"))
                .body("data.product.price_credits", equalTo(5))
                .body("data.product.actions", equalTo(List.of("analyze", "extract")))
                .body("data.product.action_schemas.name", equalTo(List.of("analyze", "extract")))
                .body("data.product.action_schemas[1].parameters_schema.properties.kind.enum",
                        equalTo(List.of("emails", "urls", "numbers")))
                .body("data.product.display_name", equalTo("Built-in text_stats"))
                .body("data.product.description", equalTo("The text_stats tool"));
        given().auth().oauth2(TestTokens.user("someone")).get("/internal/products/" + id).then().statusCode(403);
        given().auth().oauth2(TestTokens.service("api-gateway")).get("/internal/products/no-such-product").then()
                .statusCode(404).body("error", equalTo("product_not_found"));
    }

    @Test
    void aDefinitionIsCheckedCompletelyBeforeAnythingIsStored() {
        String u = unique();
        createProduct(Map.of("slug", "Bad Slug", "name", "1nope", "display_name", "x", "description", "x",
                "price_credits", -1, "invocation", Map.of("type", "vendor", "url", "http://example.com/hook"),
                "actions", List.of(Map.of("name", "run", "parameters_schema", Map.of("type", 12)))))
                .then().statusCode(422)
                .body("detail.loc", hasItem(List.of("body", "slug")))
                .body("detail.loc", hasItem(List.of("body", "name")))
                .body("detail.loc", hasItem(List.of("body", "price_credits")))
                .body("detail.loc", hasItem(List.of("body", "invocation", "url")))
                .body("detail.loc", hasItem(List.of("body", "actions", 0, "parameters_schema")));
        createProduct(Map.of("slug", "x-" + u, "name", "x_" + u, "display_name", "x", "description", "x",
                "price_credits", 1, "invocation", Map.of("type", "builtin", "tool", "teleporter")))
                .then().statusCode(422).body("detail[0].loc", equalTo(List.of("body", "invocation", "tool")));
        given().auth().oauth2(ADMIN).get("/admin/products").then().statusCode(200)
                .body("data.products.slug", not(hasItem("x-" + u)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://127.0.0.2/tool", "http://169.254.169.254/latest", "https://169.254.169.254/",
            "https://10.0.0.1/tool", "https://[::ffff:10.0.0.1]/tool", "https://localhost/tool",
            "https://metadata.google.internal/", "https://0x7f000001/tool", "http://example.com/tool" })
    void aVendorEndpointOutsideTheEgressRulesIsRefused(String url) {
        // issue 17 item 9: these were saved, and called at every purchase
        String u = unique();
        createProduct(Map.of("slug", "v-" + u, "name", "v_" + u, "display_name", "v", "description", "v",
                "price_credits", 1, "invocation", Map.of("type", "vendor", "url", url),
                "actions", List.of(Map.of("name", "run", "parameters_schema", Map.of("type", "object")))))
                .then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body", "invocation", "url")))
                .body("detail[0].type", equalTo("url_not_allowed"));
    }

    static List<Object[]> coercedDefinitions() {
        Map<String, Object> schema = Map.of("type", "object");
        return List.of(
                // issue 17 item 10: a built-in's garbage actions were ignored with a 200
                new Object[] { Map.of("type", "builtin", "tool", "wait"), List.of("garbage", 12), "actions",
                        "extra_forbidden" },
                new Object[] { Map.of("type", "builtin", "tool", 12), null, "invocation", "enum" },
                new Object[] { Map.of("type", "builtin", "tool", "wait", "url", "https://example.com/x"), null,
                        "invocation", "extra_forbidden" },
                new Object[] { "builtin", null, "invocation", "dict_type" },
                new Object[] { Map.of("type", List.of("vendor")), null, "invocation", "enum" },
                new Object[] { Map.of("type", "vendor", "url", 12), List.of(Map.of("name", "run",
                        "parameters_schema", schema)), "invocation", "url_not_allowed" },
                new Object[] { Map.of("type", "vendor", "url", "https://example.com/x"),
                        List.of("run"), "actions", "dict_type" },
                new Object[] { Map.of("type", "vendor", "url", "https://example.com/x"),
                        List.of(Map.of("name", "run", "parameters_schema", schema, "description", 12)), "actions",
                        "string_type" },
                new Object[] { Map.of("type", "vendor", "url", "https://example.com/x"),
                        List.of(Map.of("name", "run", "parameters_schema", schema, "schema", schema)), "actions",
                        "extra_forbidden" });
    }

    @ParameterizedTest
    @MethodSource("coercedDefinitions")
    void aDefinitionOfTheWrongShapeIsA422NotCoerced(Object invocation, Object actions, String at, String type) {
        String u = unique();
        Map<String, Object> def = new java.util.HashMap<>(Map.of("slug", "c-" + u, "name", "c_" + u,
                "display_name", "c", "description", "c", "price_credits", 1, "invocation", invocation));
        if (actions != null) {
            def.put("actions", actions);
        }
        createProduct(def).then().statusCode(422).body("detail[0].loc[1]", equalTo(at))
                .body("detail[0].type", equalTo(type));
    }

    @Test
    void slugsAndNamesAreUnique() {
        String u = unique();
        Map<String, Object> def = Map.of("slug", "dup-" + u, "name", "dup_" + u, "display_name", "d", "description", "d",
                "price_credits", 0, "invocation", Map.of("type", "builtin", "tool", "wait"));
        createProduct(def).then().statusCode(201);
        createProduct(def).then().statusCode(409).body("error", equalTo("product_exists"));
    }

    @Test
    void retiringKeepsTheRecordButMarksIt() {
        String id = Catalog.builtinProduct("wait", 1);
        given().auth().oauth2(ADMIN).post("/admin/products/" + id + "/retire").then().statusCode(200)
                .body("data.product.status", equalTo("retired"));
        given().auth().oauth2(ADMIN).get("/admin/products?status=retired").then().statusCode(200)
                .body("data.products.product_id", hasItem(id));
    }

    @Test
    void onlyAdminsManageTheCatalog() {
        given().auth().oauth2(TestTokens.user("someone")).get("/admin/products").then().statusCode(403);
        given().auth().oauth2(ADMIN).get("/admin/products/not-an-id").then().statusCode(404);
    }
}
