package dev.tollgate.workflow.roles;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(WorkerRoleTest.AsWorker.class)
@WithTestResource(LocalStackTestResource.class)
class WorkerRoleTest {

    public static class AsWorker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.workflow.role", "worker");
        }
    }

    @Test
    void aWorkerAnswersProbesButNotTheApi() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().auth().oauth2(TestTokens.user("alice"))
                .get("/api/agent-webhooks/runs/0123456789abcdef01234567")
                .then().statusCode(404).body("error", equalTo("not_served_by_worker"));
    }
}
