package dev.tollgate.gateway.edge;

import java.time.Clock;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.tollgate.gateway.config.GatewayConfig;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Checks a bearer token at the edge with the same rules every service applies again (RS256 with the platform key,
 * issuer, audience, expiry): a request without a valid token never reaches a service. Successful checks are
 * remembered for a short while ({@link VerifiedTokens}): a client sends the same token for up to an hour.
 */
@ApplicationScoped
public class EdgeAuthenticator {

    private static final String BEARER = "bearer ";

    private final DefaultJWTParser parser;
    private final GatewayConfig config;

    private VerifiedTokens verified;

    /**
     * {@code parser}: smallrye-jwt's own, not the remembering one the rest of the gateway gets (platform's
     * CachingJwtParser): the edge keeps its own cache, and two in a row would let an acceptance rest on a check twice
     * the TTL old.
     */
    public EdgeAuthenticator(DefaultJWTParser parser, GatewayConfig config) {
        this.parser = parser;
        this.config = config;
    }

    @PostConstruct
    void createCache() {
        verified = new VerifiedTokens(this::verifyFully, config.tokens().verifiedCache().ttl(),
                config.tokens().verifiedCache().maxEntries(), Clock.systemUTC(), Ticker.systemTicker(),
                Runnable::run);
    }

    public Optional<VerifiedToken> verify(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String token = authorization.substring(BEARER.length()).trim();
        return token.isEmpty() ? Optional.empty() : verified.verify(token);
    }

    /** Whether a successful verification of this token is cached now (tests). */
    boolean remembers(String token) {
        return verified.remembers(token);
    }

    private Optional<VerifiedToken> verifyFully(String token) {
        try {
            JsonWebToken jwt = parser.parse(token);
            return Optional.of(new VerifiedToken(jwt.getSubject(), jwt.getExpirationTime()));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
