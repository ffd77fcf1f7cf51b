package dev.tollgate.catalog.fetch;

import static dev.tollgate.catalog.support.Catalog.ADMIN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import dev.tollgate.catalog.support.Catalog;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class ProductFetchTest {

    @Test
    void onlyActiveProductsOnTheCallersBudgetArePagedWithDetailsMatchingPagination() {
        List<String> enabled = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            enabled.add(Catalog.builtinProduct("text_stats", 2));
        }
        String retired = Catalog.builtinProduct("wait", 1);
        enabled.add(retired);
        Catalog.builtinProduct("json_query", 1); // exists, not on the budget
        given().auth().oauth2(ADMIN).post("/admin/products/" + retired + "/retire").then().statusCode(200);
        Catalog.Customer c = Catalog.customer(enabled.toArray(String[]::new));

        JsonPath page1 = given().auth().oauth2(c.token()).get("/products/fetch?page=1&page_size=2").then().statusCode(200)
                .body("success", equalTo(true))
                .body("tools", hasSize(2))
                .body("details.total_qualified_tools", equalTo(5))
                .body("details.total_pages", equalTo(3))
                .body("details.page_source", equalTo("query"))
                .body("details.has_next_page", equalTo(true))
                .body("details.has_previous_page", equalTo(false))
                .body("pagination.total_count", equalTo(5))
                .body("pagination.has_next", equalTo(true))
                .body("tools[0].price_credits", equalTo(2))
                .body("tools[0].actions[0].name", equalTo("analyze"))
                .extract().jsonPath();
        assertEquals(page1.getInt("details.page_returned"), page1.getInt("pagination.page"));
        assertEquals(page1.getInt("details.total_pages"), page1.getInt("pagination.total_pages"));

        given().auth().oauth2(c.token()).header("X-Page", "3").header("X-Page-Size", "2")
                .get("/products/fetch?page=1&page_size=50").then().statusCode(200)
                .body("tools", hasSize(1))
                .body("details.page_returned", equalTo(3))
                .body("details.page_size_requested", equalTo(2))
                .body("details.page_source", equalTo("header"))
                .body("details.page_size_source", equalTo("header"))
                .body("details.has_next_page", equalTo(false))
                .body("pagination.has_prev", equalTo(true));
    }

    @Test
    void aPageFarPastTheLastIsEmptyNotTheFirstPageAgain() {
        Catalog.Customer c = Catalog.customer(Catalog.builtinProduct("text_stats", 1), Catalog.builtinProduct("wait", 1));
        // (page - 1) * page_size used to wrap around in int and answer the first page.
        given().auth().oauth2(c.token()).get("/products/fetch?page=2147483647&page_size=100").then().statusCode(200)
                .body("tools", hasSize(0))
                .body("details.page_returned", equalTo(2147483647))
                .body("details.total_qualified_tools", equalTo(2))
                .body("details.has_next_page", equalTo(false))
                .body("details.has_previous_page", equalTo(true));
        given().auth().oauth2(c.token()).header("X-Page", "2147483647").header("X-Page-Size", "100")
                .get("/products/fetch").then().statusCode(200).body("tools", hasSize(0));
        given().auth().oauth2(c.token()).get("/products/fetch?page=3&page_size=1").then().statusCode(200)
                .body("tools", hasSize(0));
    }

    @ParameterizedTest
    @CsvSource({ "page=0,query,page", "page=abc,query,page", "page_size=101,query,page_size", "page_size=0,query,page_size",
            "page=,query,page", "page=%201,query,page", "page=%2B1,query,page", "page=1%00,query,page",
            "page=99999999999,query,page" })
    void badPagingIsA422WithTheContractsDetail(String query, String where, String field) {
        given().auth().oauth2(Catalog.customer().token()).get("/products/fetch?" + query).then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of(where, field)));
    }

    @Test
    void aBadHeaderIsReportedAsTheHeader() {
        given().auth().oauth2(Catalog.customer().token()).header("X-Page-Size", "500").get("/products/fetch")
                .then().statusCode(422).body("detail[0].loc", equalTo(List.of("header", "x-page-size")));
    }

    @Test
    void anInstanceIsCreatedWhenNoneIsSentAndEchoedWhenOneIs() {
        Catalog.Customer c = Catalog.customer();
        given().auth().oauth2(c.token()).get("/products/fetch").then().statusCode(200)
                .body("instance_id", matchesPattern("inst_[0-9a-f]{24}"));
        given().auth().oauth2(c.token()).header("x-instance-id", "inst_mine").header("x-instance-metadata", "{\"agent\":\"a\"}")
                .get("/products/fetch").then().statusCode(200).body("instance_id", equalTo("inst_mine"));
        given().auth().oauth2(c.token()).header("x-instance-metadata", "not json").get("/products/fetch")
                .then().statusCode(422).body("detail[0].loc", equalTo(List.of("header", "x-instance-metadata")));
    }

    @Test
    void thePrepromptSaysSomethingDifferentWhenNothingMatched() {
        given().auth().oauth2(Catalog.customer().token()).get("/products/fetch").then().statusCode(200)
                .body("tools", hasSize(0))
                .body("preprompt", startsWith("No tools are enabled"));
        String id = Catalog.builtinProduct("text_stats", 2);
        given().auth().oauth2(Catalog.customer(id).token()).get("/products/fetch").then().statusCode(200)
                .body("preprompt", containsString("/products/purchase"))
                .body("preprompt", containsString("text_stats_"))
                .body("example_tool_call", containsString("curl -s -X POST"))
                .body("example_tool_call", containsString(id));
    }

    @Test
    void theExampleCallIsAValidCallOfTheFirstTool() {
        String id = Catalog.builtinProduct("kv_memory", 0);
        Catalog.Customer c = Catalog.customer(id);
        String example = given().auth().oauth2(c.token()).get("/products/fetch").then().statusCode(200)
                .extract().path("example_tool_call");
        String body = example.substring(example.indexOf("-d '") + 4, example.lastIndexOf('\''));
        // What pasting it does (price 0: no credits needed), minus the shell.
        given().auth().oauth2(c.token()).contentType("application/json").body(body).post("/products/purchase")
                .then().statusCode(200).body("data.stored", equalTo(true));
    }

}
