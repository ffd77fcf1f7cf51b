package dev.tollgate.catalog.tools;

import java.time.Duration;

import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The token a vendor call carries: audience = the product id (so a vendor cannot replay it against Tollgate),
 * subject = the user, the order id as a claim; short-lived.
 */
@ApplicationScoped
public class VendorTokens {

    private final String issuer;

    public VendorTokens(@ConfigProperty(name = "mp.jwt.verify.issuer") String issuer) {
        this.issuer = issuer;
    }

    public String forVendor(String productId, String userId, String orderId, Duration ttl) {
        return Jwt.issuer(issuer).audience(productId).subject(userId).claim("order_id", orderId)
                .expiresIn(ttl).sign();
    }
}
