package dev.tollgate.localstack.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * Access tokens for tests, shaped like the ones the gateway issues: issuer {@value #ISSUER}, audience
 * {@value #AUDIENCE}, subject = user id, {@code groups} = roles, {@code budget_id}. Also the bad ones every service
 * must refuse: expired, signed by another key, and unsigned ({@code alg: none}).
 */
public final class TestTokens {

    public static final String ISSUER = "tollgate";
    public static final String AUDIENCE = "tollgate";
    static final String PRIVATE_KEY_PROPERTY = "tollgate.test.jwt.private-key";

    private TestTokens() {
    }

    public static String user(String userId) {
        return token(userId, "budget-" + userId, Set.of("user"), Duration.ofMinutes(15), signingKey());
    }

    public static String user(String userId, String budgetId) {
        return token(userId, budgetId, Set.of("user"), Duration.ofMinutes(15), signingKey());
    }

    public static String admin(String userId) {
        return token(userId, null, Set.of("user", "admin"), Duration.ofMinutes(15), signingKey());
    }

    /** A service-to-service token (holds, catalog checks): role {@code service}. */
    public static String service(String serviceName) {
        return token(serviceName, null, Set.of("service"), Duration.ofMinutes(15), signingKey());
    }

    public static String expired(String userId) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(userId).groups(Set.of("user"))
                .claim("budget_id", "budget-" + userId)
                .issuedAt(Instant.now().minus(Duration.ofHours(2)))
                .expiresAt(Instant.now().minus(Duration.ofHours(1)))
                .sign(signingKey());
    }

    /** Signed with the platform key, but issued by someone else. */
    public static String wrongIssuer(String userId) {
        return Jwt.issuer("https://attacker.example").audience(AUDIENCE).subject(userId).groups(Set.of("user"))
                .claim("budget_id", "budget-" + userId).expiresIn(Duration.ofMinutes(15)).sign(signingKey());
    }

    /** Signed with the platform key, but meant for another audience. */
    public static String wrongAudience(String userId) {
        return Jwt.issuer(ISSUER).audience("another-platform").subject(userId).groups(Set.of("user"))
                .claim("budget_id", "budget-" + userId).expiresIn(Duration.ofMinutes(15)).sign(signingKey());
    }

    public static String signedByAnotherKey(String userId) {
        return token(userId, "budget-" + userId, Set.of("user"), Duration.ofMinutes(15), anotherKey());
    }

    /** A fresh RSA key of the platform key's size (2048 bits, as the local stack's JwtKeyPair generates). */
    private static PrivateKey anotherKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is required by every JDK", e);
        }
    }

    /** The classic forgery: claims that look right and no signature at all. */
    public static String unsigned(String userId) {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"" + userId
                + "\",\"groups\":[\"user\",\"admin\",\"service\"],\"iat\":" + now + ",\"exp\":" + (now + 900) + "}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    public static String token(String userId, String budgetId, Set<String> roles, Duration ttl, PrivateKey key) {
        var builder = Jwt.issuer(ISSUER).audience(AUDIENCE).subject(userId).upn(userId).groups(roles)
                .expiresIn(ttl);
        if (budgetId != null) {
            builder.claim("budget_id", budgetId);
        }
        return builder.sign(key);
    }

    public static PrivateKey signingKey() {
        String location = System.getProperty(PRIVATE_KEY_PROPERTY);
        if (location == null) {
            throw new IllegalStateException("no local stack in this JVM: annotate the test with "
                    + "@WithTestResource(LocalStackTestResource.class)");
        }
        return readPrivateKey(Path.of(location));
    }

    /** Reads a PKCS#8 PEM private key, such as the local stack's {@code keys/private.pem}. */
    public static PrivateKey readPrivateKey(Path location) {
        try {
            String pem = Files.readString(location);
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("unreadable test signing key " + location, e);
        }
    }
}
