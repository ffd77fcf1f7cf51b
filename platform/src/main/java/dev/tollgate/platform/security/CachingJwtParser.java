package dev.tollgate.platform.security;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;

import javax.crypto.SecretKey;

import com.github.benmanes.caffeine.cache.Ticker;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The parser Quarkus's bearer-token check ({@code MpJwtValidator}) uses in every service: smallrye-jwt's own, with
 * the tokens it verified remembered ({@link VerifiedTokenCache}). Only {@link #parse(String)}, the request path, is
 * cached; every other call goes straight to smallrye-jwt.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CachingJwtParser implements JWTParser {

    private final DefaultJWTParser verifier;
    /** How long a verified token is remembered at most (never past its {@code exp}); 0 turns the cache off. */
    private final Duration ttl;
    private final VerifiedTokenCache<JsonWebToken> cache;

    @Inject
    public CachingJwtParser(DefaultJWTParser verifier,
            @ConfigProperty(name = "tollgate.http.verified-tokens.ttl", defaultValue = "60s") Duration ttl,
            @ConfigProperty(name = "tollgate.http.verified-tokens.max-entries", defaultValue = "10000") long maxEntries) {
        this.verifier = verifier;
        this.ttl = ttl;
        this.cache = new VerifiedTokenCache<>(JsonWebToken::getExpirationTime, ttl, maxEntries, Clock.systemUTC(),
                Ticker.systemTicker(), Runnable::run);
    }

    /** Whether this service remembers a verification of the token now. */
    public boolean remembers(String token) {
        return cache.remembers(token);
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        return ttl.isZero() ? VerifiedJwt.of(verifier.parse(token))
                : cache.verify(token, t -> VerifiedJwt.of(verifier.parse(t)));
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return verifier.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return verifier.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return verifier.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return verifier.parseOnly(token);
    }
}
