package dev.tollgate.localstack.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Every service is operable the same way: liveness and readiness that reflect its real dependencies, an OpenAPI
 * document and Prometheus metrics. A service's test extends this and names the readiness checks it must show.
 */
public abstract class PlatformEndpointsContract {

    /** Names of the readiness checks this service must report UP, e.g. the MongoDB and Kafka connection checks. */
    protected abstract List<String> readinessChecks();

    public static final String MONGO_CHECK = "MongoDB connection health check";
    public static final String KAFKA_CHECK = "Kafka connection health check";

    /**
     * The port of {@code /q/health} and {@code /q/metrics}: the service's one port, or its management interface's
     * (the gateway's, off its public port).
     */
    protected int managementPort() {
        return io.restassured.RestAssured.port;
    }

    @Test
    void isLive() {
        given().port(managementPort()).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void isReadyWithItsDependenciesChecked() {
        given().port(managementPort()).get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(readinessChecks().toArray(String[]::new)));
    }

    @Test
    void publishesAnOpenApiDocument() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("openapi", org.hamcrest.Matchers.startsWith("3."));
    }

    /**
     * Whether this service answers in the webhooks family's error shape ({@code success}, {@code error},
     * {@code message}) rather than the api family's ({@code detail}, {@code error}).
     */
    protected boolean webhooksFamily() {
        return false;
    }

    /**
     * A bug answers 500 in the family's shape, with a reference and nothing of the failure (the service's test sources
     * hold a resource at {@code /test-only/bug} whose GET throws). It used to be Quarkus's default body.
     */
    @Test
    void aBugAnswers500InTheFamilysShapeWithNothingOfItsInternals() {
        String body = given().header("X-Request-Id", "contract-probe").get("/test-only/bug").then().statusCode(500)
                .contentType("application/json").body("error", equalTo("internal_error"))
                .body(webhooksFamily() ? "message" : "detail", containsString("reference "))
                .extract().asString();
        if (webhooksFamily()) {
            given().get("/test-only/bug").then().body("success", equalTo(false));
        }
        org.junit.jupiter.api.Assertions.assertFalse(body.contains("IllegalStateException") || body.contains("secret")
                || body.contains("at dev.tollgate"), body);
    }

    /** A refusal the framework makes keeps its status, in the family's shape. */
    @Test
    void aWrongMethodAnswers405InTheFamilysShape() {
        given().contentType("application/json").body("{}").patch("/test-only/bug").then().statusCode(405)
                .contentType("application/json").body("error", equalTo("method_not_allowed"))
                .body(webhooksFamily() ? "message" : "detail", equalTo("Method Not Allowed"));
    }

    /**
     * A path no route serves, dot segments and encoded slashes included, is a 404 in the family's shape (issue 17
     * item 7: it was Quarkus's HTML page).
     */
    @Test
    void anUnmatchedPathAnswers404InTheFamilysShape() {
        for (String path : List.of("/no/such/path", "/test-only/bug/%2e%2e/%2e%2e/q/x", "/test-only/a%2Fb")) {
            given().urlEncodingEnabled(false).get(path).then().statusCode(404).contentType("application/json")
                    .body("error", equalTo("not_found"))
                    .body(webhooksFamily() ? "message" : "detail", equalTo("Not Found"));
        }
    }

    /** A body over the service's limit (2 MiB; the gateway's is 1 MiB) is a 413 in the family's shape. */
    @Test
    void aBodyOverTheLimitAnswers413InTheFamilysShape() {
        byte[] body = new byte[2 * 1024 * 1024 + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        given().contentType("application/json").body(body).post("/test-only/bug").then().statusCode(413)
                .contentType("application/json").body("error", equalTo("payload_too_large"));
    }

    @Test
    void exposesPrometheusMetrics() {
        given().port(managementPort()).get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
    }
}
