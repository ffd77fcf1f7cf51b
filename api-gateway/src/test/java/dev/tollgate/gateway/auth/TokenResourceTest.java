package dev.tollgate.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import dev.tollgate.gateway.support.StubUpstreams;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(StubUpstreams.class)
class TokenResourceTest {

    @Test
    void anApiKeyBecomesAnAccessTokenThatThePublishedKeyVerifies() throws Exception {
        JsonPath answer = given().contentType(ContentType.JSON).body("{\"api_key\":\"" + StubUpstreams.GOOD_KEY + "\"}")
                .post("/auth/token").then().statusCode(200)
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(3600))
                .extract().jsonPath();
        String token = answer.getString("access_token");

        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "RS256")
                .setExpectedIssuer("tollgate").setExpectedAudience("tollgate").setRequireExpirationTime()
                .build().processToClaims(token);
        assertEquals("alice", claims.getSubject());
        assertEquals("budget-alice", claims.getStringClaimValue("budget_id"));
        assertEquals(Set.of("user"), Set.copyOf(claims.getStringListClaimValue("groups")),
                "service is never granted through an API key");
        long ttl = claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue();
        assertTrue(ttl >= 3590 && ttl <= 3610, "one hour: " + ttl);

        given().auth().oauth2(token).get("/auth/me").then().statusCode(200).body("user_id", equalTo("alice"))
                .body("roles", hasItem("user"));
        given().auth().oauth2(token).get("/credits/balance").then().statusCode(200).body("upstream", equalTo("credits"));
    }

    @Test
    void aWrongKeyIs401() {
        given().contentType(ContentType.JSON).body("{\"api_key\":\"tg_nope\"}").post("/auth/token").then()
                .statusCode(401).body("detail", equalTo("Invalid API key"));
    }

    @Test
    void aBadBodyIs422WithDetails() {
        given().contentType(ContentType.JSON).body("{}").post("/auth/token").then().statusCode(422)
                .body("detail[0].loc", equalTo(java.util.List.of("body", "api_key")));
        given().contentType(ContentType.JSON).body("{\"api_key\":").post("/auth/token").then().statusCode(422);
        given().contentType(ContentType.JSON).body("{\"api_key\":42}").post("/auth/token").then().statusCode(422);
    }
}
