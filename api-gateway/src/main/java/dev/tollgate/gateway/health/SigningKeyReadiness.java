package dev.tollgate.gateway.health;

import dev.tollgate.gateway.keys.PlatformPublicKey;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Without its key the gateway can neither issue nor verify tokens: not ready. */
@Readiness
@ApplicationScoped
public class SigningKeyReadiness implements HealthCheck {

    public static final String NAME = "Platform signing key";

    private final PlatformPublicKey key;

    public SigningKeyReadiness(PlatformPublicKey key) {
        this.key = key;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            return HealthCheckResponse.named(NAME).up().withData("kid", key.get().jwk().getKeyId()).build();
        } catch (IllegalStateException e) {
            return HealthCheckResponse.named(NAME).down().withData("reason", e.getMessage()).build();
        }
    }
}
