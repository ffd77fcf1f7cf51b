package dev.tollgate.callback.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.tollgate.platform.security.CachingJwtParser;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TokenVerificationContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class TokenVerificationTest extends TokenVerificationContract {

    @Inject
    CachingJwtParser tokens;

    @Override
    protected boolean remembers(String token) {
        return tokens.remembers(token);
    }

    @Override
    protected ValidatableResponse callProtected(String authorization) {
        var request = given();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.get("/api/agent-webhooks/signing-secret").then();
    }

    @Override
    protected int acceptedStatus() {
        return 200;
    }

    @Override
    protected void assertUnauthorizedBody(ValidatableResponse response) {
        response.body("success", equalTo(false)).body("error", equalTo("unauthorized"));
    }
}
