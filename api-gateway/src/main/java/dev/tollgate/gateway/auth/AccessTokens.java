package dev.tollgate.gateway.auth;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.tollgate.gateway.auth.ApiKeyClient.KeyHolder;
import dev.tollgate.gateway.auth.ApiKeyClient.PresentedKey;
import dev.tollgate.gateway.config.GatewayConfig;
import dev.tollgate.platform.web.CodedError;
import dev.tollgate.platform.web.Envelope;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Issues access tokens: RS256 JWTs signed with the platform key, naming the user ({@code sub}), the budget
 * ({@code budget_id}) and the roles ({@code groups}) the API key was issued with. Only {@code user} and
 * {@code admin} can come from an API key; {@code service} is never handed out.
 */
@ApplicationScoped
public class AccessTokens {

    private static final Set<String> GRANTABLE = Set.of("user", "admin");
    private static final GenericType<Envelope<KeyHolder>> VERIFIED = new GenericType<>() {
    };

    public record Issued(String token, long expiresInSeconds) {
    }

    private final ApiKeyClient apiKeys;
    private final GatewayConfig config;
    private final String issuer;
    private final String audience;

    public AccessTokens(@RestClient ApiKeyClient apiKeys, GatewayConfig config,
            @ConfigProperty(name = "tollgate.jwt.issuer") String issuer,
            @ConfigProperty(name = "tollgate.jwt.audience") String audience) {
        this.apiKeys = apiKeys;
        this.config = config;
        this.issuer = issuer;
        this.audience = audience;
    }

    /** Empty when the key is unknown or revoked. */
    public Optional<Issued> issue(String apiKey) {
        KeyHolder who;
        try (Response answer = apiKeys.verify(new PresentedKey(apiKey))) {
            if (answer.getStatus() == 401 || answer.getStatus() == 404 || answer.getStatus() == 422) {
                return Optional.empty();
            }
            if (answer.getStatus() != 200) {
                throw unavailable();
            }
            Envelope<KeyHolder> verified = answer.readEntity(VERIFIED);
            who = verified == null || verified.data() == null ? new KeyHolder(null, null, null, null) : verified.data();
        } catch (ProcessingException e) {
            throw unavailable();
        }
        Set<String> roles = new HashSet<>();
        Objects.requireNonNullElse(who.roles(), List.<String>of()).stream().filter(GRANTABLE::contains)
                .forEach(roles::add);
        roles.add("user");
        long ttl = config.tokens().ttl().toSeconds();
        var claims = Jwt.issuer(issuer).audience(audience).subject(Objects.requireNonNullElse(who.userId(), ""))
                .groups(roles).expiresIn(ttl);
        if (who.budgetId() != null) {
            claims.claim("budget_id", who.budgetId());
        }
        return Optional.of(new Issued(claims.sign(), ttl));
    }

    private static CodedError unavailable() {
        return new CodedError(503, "service_unavailable", "API keys cannot be checked right now; try again shortly");
    }
}
