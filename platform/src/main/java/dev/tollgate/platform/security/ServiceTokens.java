package dev.tollgate.platform.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.quarkus.arc.Unremovable;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The token a service presents to its neighbours: subject = the service's name, role {@code service}, the platform's
 * issuer and audience, five minutes of life, reused until a minute before expiry. Signed with the platform key
 * ({@code smallrye.jwt.sign.key.location}); only services that call neighbours are given that key.
 */
// Unremovable: REST clients look it up dynamically (@ClientHeaderParam), which ArC cannot see.
@Unremovable
@ApplicationScoped
public class ServiceTokens {

    private final String serviceName;
    private final String issuer;
    private final String platformAudience;

    @Inject
    public ServiceTokens(@ConfigProperty(name = "quarkus.application.name") String serviceName,
            @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
            @ConfigProperty(name = "mp.jwt.verify.audiences") String platformAudience) {
        this.serviceName = serviceName;
        this.issuer = issuer;
        this.platformAudience = platformAudience;
    }

    private volatile String cached;
    private volatile Instant cachedUntil = Instant.EPOCH;

    public String forPlatform() {
        if (Instant.now().isAfter(cachedUntil)) {
            synchronized (this) {
                if (Instant.now().isAfter(cachedUntil)) {
                    cached = Jwt.issuer(issuer).audience(platformAudience).subject(serviceName)
                            .groups(Set.of("service")).expiresIn(Duration.ofMinutes(5)).sign();
                    cachedUntil = Instant.now().plus(Duration.ofMinutes(4));
                }
            }
        }
        return cached;
    }

    /** The Authorization header value, for REST clients' {@code @ClientHeaderParam}. */
    public String bearer() {
        return "Bearer " + forPlatform();
    }
}
