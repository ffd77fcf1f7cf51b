package dev.tollgate.catalog.issues;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.tollgate.catalog.products.Product;
import dev.tollgate.catalog.products.ProductRepository;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class IssueReportResourceTest {

    @Inject
    ProductRepository products;

    @Inject
    IssueReportRepository reports;

    Product product;

    @BeforeEach
    void aProduct() {
        product = new Product();
        String unique = UUID.randomUUID().toString().substring(0, 8);
        product.slug = "text-stats-" + unique;
        product.name = "text_stats_" + unique;
        product.displayName = "Text statistics";
        product.createdAt = Instant.now();
        products.persist(product);
    }

    @Test
    void resolvesAnObjectIdThenASlugThenAnExactName() {
        report(product.id.toHexString()).then().statusCode(200)
                .body("data.lookup_method", equalTo("object_id"))
                .body("data.product_found", equalTo(true))
                .body("data.product_name", equalTo(product.name));
        report(product.slug).then().statusCode(200).body("data.lookup_method", equalTo("slug"));
        report(product.name).then().statusCode(200).body("data.lookup_method", equalTo("exact_name"));
    }

    @Test
    void anUnknownProductIsStillRecordedAndAnswered200() {
        String id = report("no-such-tool").then().statusCode(200)
                .body("success", equalTo(true))
                .body("data.product_found", equalTo(false))
                .body("data.lookup_method", equalTo("not_found"))
                .body("data.product_id", equalTo("no-such-tool"))
                .body("data.product_name", nullValue())
                .body("data.status", equalTo("open"))
                .body("data.issue_id", matchesPattern("[0-9a-f]{24}"))
                .extract().path("data.issue_id");
        IssueReport stored = reports.findById(new ObjectId(id));
        assertEquals("reporter", stored.reporterUserId);
        assertEquals("inst_test", stored.instanceId);
        assertEquals("the tool timed out", stored.errorMessage);
    }

    @Test
    void missingFieldsAre422WithFastApiDetail() {
        asReporter().body(Map.of("product_id", "x")).post("/issues/report").then().statusCode(422)
                .body("detail", hasSize(1))
                .body("detail[0].loc", equalTo(java.util.List.of("body", "error_message")))
                .body("detail[0].type", equalTo("missing"))
                .body("detail[0].msg", equalTo("Field required"));
        asReporter().body(Map.of("product_id", 12, "error_message", "")).post("/issues/report").then().statusCode(422)
                .body("detail.type", equalTo(java.util.List.of("string_type", "string_too_short")));
    }

    @Test
    void malformedJsonIs422NotAServerError() {
        asReporter().body("{not json").post("/issues/report").then().statusCode(422)
                .body("detail[0].type", equalTo("json_invalid"));
        asReporter().body("[1,2]").post("/issues/report").then().statusCode(422)
                .body("detail[0].loc[0]", equalTo("body"));
    }

    private io.restassured.response.Response report(String productReference) {
        return asReporter().body(Map.of("product_id", productReference, "error_message", "the tool timed out",
                "recommended_improvements", "retry with backoff")).post("/issues/report");
    }

    private static RequestSpecification asReporter() {
        return given().auth().oauth2(TestTokens.user("reporter")).header("x-instance-id", "inst_test")
                .contentType("application/json");
    }
}
