package dev.tollgate.gateway.keys;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jose4j.jwk.JsonWebKey;

/** Publishes the key that verifies every token Tollgate issues; vendor tools fetch it to verify our calls. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class PublicKeyResource {

    /** The contract's answer: the PEM beside {@code success}, no {@code data} envelope. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({ "success", "public_key", "algorithm", "message" })
    public record PemAnswer(boolean success, String publicKey, String algorithm, String message) {
    }

    /** A JWK Set (RFC 7517) of the one platform key, each key as jose4j writes its public parameters. */
    public record KeySet(List<Map<String, Object>> keys) {
    }

    private final PlatformPublicKey key;

    public PublicKeyResource(PlatformPublicKey key) {
        this.key = key;
    }

    @GET
    @Path("public/jwt-public-key")
    public PemAnswer publicKey() {
        return new PemAnswer(true, key.get().pem(), "RS256",
                "PEM public key that verifies RS256 tokens issued by this API");
    }

    @GET
    @Path(".well-known/jwks.json")
    public KeySet jwks() {
        return new KeySet(List.of(key.get().jwk().toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
    }
}
