package dev.tollgate.gateway.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class PublicKeyResourceTest {

    @ConfigProperty(name = "tollgate.jwt.public-key-location")
    String publicKeyFile;

    @Test
    void servesThePemKeyExactlyAsTheContractSays() throws Exception {
        String pem = given().get("/public/jwt-public-key").then().statusCode(200)
                .body("success", equalTo(true))
                .body("algorithm", equalTo("RS256"))
                .body("public_key", startsWith("-----BEGIN PUBLIC KEY-----"))
                .extract().path("public_key");
        assertEquals(Files.readString(Path.of(publicKeyFile)).strip(), pem.strip());
        // What a vendor does with it: verify a platform-signed token.
        String token = TestTokens.user("vendor-check");
        var claims = new JwtConsumerBuilder().setVerificationKey(parse(pem)).setExpectedAudience("tollgate")
                .setExpectedIssuer("tollgate").build().processToClaims(token);
        assertEquals("vendor-check", claims.getSubject());
    }

    @Test
    void publishesTheSameKeyAsAJwks() throws Exception {
        List<Map<String, Object>> keys = given().get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].alg", equalTo("RS256"))
                .body("keys[0].use", equalTo("sig"))
                .extract().path("keys");
        JsonWebKey jwk = JsonWebKey.Factory.newJwk(keys.getFirst());
        String pem = given().get("/public/jwt-public-key").then().extract().path("public_key");
        assertEquals(parse(pem), jwk.getKey());

        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(TestTokens.user("jwks-check"));
        jws.setKey(jwk.getKey());
        assertEquals(true, jws.verifySignature());
    }

    @Test
    void publicHealthAnswersOk() {
        given().get("/health").then().statusCode(200).body("status", equalTo("ok"));
    }

    @Test
    void aSignedInCallerCanSeeWhoTheyAre() {
        given().auth().oauth2(TestTokens.user("alice", "budget-7")).get("/auth/me").then().statusCode(200)
                .body("user_id", equalTo("alice"))
                .body("budget_id", equalTo("budget-7"))
                .body("roles", equalTo(List.of("user")));
    }

    private static PublicKey parse(String pem) throws Exception {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
