package dev.tollgate.catalog.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Tokens this service presents: as itself to credits-service (role {@code service}), and to vendors (audience =
 * the product, so a vendor cannot replay it against Tollgate). Signed with the platform key
 * ({@code smallrye.jwt.sign.key.location}).
 */
@ApplicationScoped
public class ServiceTokens {

    @ConfigProperty(name = "mp.jwt.verify.issuer")
    String issuer;

    @ConfigProperty(name = "mp.jwt.verify.audiences")
    String platformAudience;

    private volatile String cached;
    private volatile Instant cachedUntil = Instant.EPOCH;

    /** A service token for platform calls, reused until a minute before it expires. */
    public String forPlatform() {
        if (Instant.now().isAfter(cachedUntil)) {
            synchronized (this) {
                if (Instant.now().isAfter(cachedUntil)) {
                    cached = Jwt.issuer(issuer).audience(platformAudience).subject("catalog-service")
                            .groups(Set.of("service")).expiresIn(Duration.ofMinutes(5)).sign();
                    cachedUntil = Instant.now().plus(Duration.ofMinutes(4));
                }
            }
        }
        return cached;
    }

    /** A short-lived token for one vendor call on behalf of a user. */
    public String forVendor(String productId, String userId, String orderId, Duration ttl) {
        return Jwt.issuer(issuer).audience(productId).subject(userId).claim("order_id", orderId)
                .expiresIn(ttl).sign();
    }
}
