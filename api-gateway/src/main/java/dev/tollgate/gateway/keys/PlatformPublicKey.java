package dev.tollgate.gateway.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The public half of the platform key, as PEM (for {@code /public/jwt-public-key}) and as a JWK with its RFC 7638
 * thumbprint as {@code kid} (for {@code /.well-known/jwks.json}). Read lazily and cached; a key that cannot be read
 * makes readiness DOWN instead of failing start-up, so the reason shows up where operators look.
 */
@ApplicationScoped
public class PlatformPublicKey {

    private final SigningKeyConfig config;

    private volatile Loaded loaded;

    public PlatformPublicKey(SigningKeyConfig config) {
        this.config = config;
    }

    public record Loaded(String pem, RSAPublicKey key, RsaJsonWebKey jwk) {
    }

    public Loaded get() {
        Loaded current = loaded;
        if (current == null) {
            current = load(Path.of(config.publicKeyLocation()));
            loaded = current;
        }
        return current;
    }

    static Loaded load(Path location) {
        try {
            String pem = Files.readString(location);
            String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            RsaJsonWebKey jwk = (RsaJsonWebKey) JsonWebKey.Factory.newJwk(key);
            jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
            jwk.setUse("sig");
            jwk.setAlgorithm("RS256");
            return new Loaded(pem.strip() + "\n", key, jwk);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the platform public key at " + location + ": " + e, e);
        } catch (GeneralSecurityException | IllegalArgumentException | JoseException | ClassCastException e) {
            throw new IllegalStateException("the file at " + location + " is not a PEM RSA public key: " + e, e);
        }
    }
}
