package dev.tollgate.gateway.edge;

import java.util.Optional;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Checks a bearer token at the edge with the same rules every service applies again (RS256 with the platform key,
 * issuer, audience, expiry): a request without a valid token never reaches a service.
 */
@ApplicationScoped
public class EdgeAuthenticator {

    private static final String BEARER = "bearer ";

    @Inject
    JWTParser parser;

    public Optional<JsonWebToken> verify(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.parse(authorization.substring(BEARER.length()).trim()));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
