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

    @Test
    void isLive() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void isReadyWithItsDependenciesChecked() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(readinessChecks().toArray(String[]::new)));
    }

    @Test
    void publishesAnOpenApiDocument() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("openapi", org.hamcrest.Matchers.startsWith("3."));
    }

    @Test
    void exposesPrometheusMetrics() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}
