package dev.tollgate.gateway.platform;

import java.util.List;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.PlatformEndpointsContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class PlatformEndpointsTest extends PlatformEndpointsContract {

    @Override
    protected int managementPort() {
        return dev.tollgate.gateway.support.Management.port();
    }

    @Override
    protected List<String> readinessChecks() {
        return List.of(dev.tollgate.gateway.health.SigningKeyReadiness.NAME);
    }

    /**
     * Issue 17 item 6: through the public port, monitoring needed no token, and the metrics named every tenant's
     * budget, product, workflow and run ids. Only {@code /health} (the contract's) and the API docs are public now.
     */
    @org.junit.jupiter.api.Test
    void monitoringIsNotOnThePublicPort() {
        for (String path : List.of("/q/metrics", "/q/health", "/q/health/ready", "/q/health/live")) {
            io.restassured.RestAssured.given().get(path).then().statusCode(404)
                    .body("error", org.hamcrest.Matchers.equalTo("not_found"));
        }
        io.restassured.RestAssured.given().get("/health").then().statusCode(200);
        io.restassured.RestAssured.given().get("/q/openapi").then().statusCode(200);
    }
}
