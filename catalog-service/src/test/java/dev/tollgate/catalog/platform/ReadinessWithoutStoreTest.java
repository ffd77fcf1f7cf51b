package dev.tollgate.catalog.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;

import dev.tollgate.localstack.testing.PlatformEndpointsContract;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** Readiness must reflect the real dependency: with no reachable store, the service is live but not ready. */
@QuarkusTest
@TestProfile(ReadinessWithoutStoreTest.StoreUnreachable.class)
class ReadinessWithoutStoreTest {

    public static class StoreUnreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.mongodb.connection-string", "mongodb://127.0.0.1:1",
                    "quarkus.mongodb.server-selection-timeout", "1s",
                    "mp.jwt.verify.publickey.location", "unused.pem");
        }
    }

    @Test
    void liveButNotReady() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == '" + PlatformEndpointsContract.MONGO_CHECK + "' }.status", equalTo("DOWN"))
                .body("checks.name", hasItem(PlatformEndpointsContract.MONGO_CHECK));
    }
}
