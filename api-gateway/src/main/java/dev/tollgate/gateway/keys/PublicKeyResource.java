package dev.tollgate.gateway.keys;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jose4j.jwk.JsonWebKey;

/** Publishes the key that verifies every token Tollgate issues; vendor tools fetch it to verify our calls. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class PublicKeyResource {

    @Inject
    PlatformPublicKey key;

    @GET
    @Path("public/jwt-public-key")
    public Map<String, Object> publicKey() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("public_key", key.get().pem());
        body.put("algorithm", "RS256");
        body.put("message", "PEM public key that verifies RS256 tokens issued by this API");
        return body;
    }

    @GET
    @Path(".well-known/jwks.json")
    public Map<String, Object> jwks() {
        return Map.of("keys", List.of(key.get().jwk().toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
    }
}
