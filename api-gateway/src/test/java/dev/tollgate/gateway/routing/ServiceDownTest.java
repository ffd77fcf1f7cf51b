package dev.tollgate.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import dev.tollgate.gateway.support.StubUpstreams;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.ServiceProcess;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** callback-service and catalog-service "down": their ports refuse connections. */
@QuarkusTest
@TestProfile(ServiceDownTest.TwoServicesDown.class)
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(StubUpstreams.class)
class ServiceDownTest {

    public static class TwoServicesDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String nobody = "http://127.0.0.1:" + ServiceProcess.freePort();
            return Map.of("tollgate.gateway.upstreams.callback", nobody, "tollgate.gateway.upstreams.catalog", nobody,
                    "quarkus.rest-client.api-keys.url", nobody);
        }
    }

    @Test
    void aServiceThatIsDownIsAQuick503InThePathsStyle() {
        long start = System.nanoTime();
        given().auth().oauth2(TestTokens.admin("ops")).get("/admin/callbacks/r1").then().statusCode(503)
                .header("Retry-After", "5")
                .body("success", equalTo(false)).body("error", equalTo("service_unavailable"));
        given().auth().oauth2(TestTokens.user("alice")).get("/products/fetch").then().statusCode(503)
                .body("error", equalTo("service_unavailable")).body("detail", org.hamcrest.Matchers.notNullValue());
        // Well under the 120 s idle timeout a hanging proxy would wait (the margin absorbs a loaded CI machine).
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5000, "answered at once, not after a hang");
        given().auth().oauth2(TestTokens.user("alice")).get("/credits/balance").then().statusCode(200)
                .body("upstream", equalTo("credits"));
    }

    @Test
    void tokensCannotBeIssuedWhileApiKeysCannotBeChecked() {
        given().contentType("application/json").body("{\"api_key\":\"" + StubUpstreams.GOOD_KEY + "\"}")
                .post("/auth/token").then().statusCode(503).body("error", equalTo("service_unavailable"));
    }
}
