package dev.tollgate.gateway.auth;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.config.GatewayConfig;
import dev.tollgate.platform.web.CodedError;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
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

    public record Issued(String token, long expiresInSeconds) {
    }

    @Inject
    @RestClient
    ApiKeyClient apiKeys;

    @Inject
    GatewayConfig config;

    @ConfigProperty(name = "tollgate.jwt.issuer")
    String issuer;

    @ConfigProperty(name = "tollgate.jwt.audience")
    String audience;

    /** Empty when the key is unknown or revoked. */
    public Optional<Issued> issue(String apiKey) {
        JsonNode who;
        try (Response answer = apiKeys.verify(java.util.Map.of("api_key", apiKey))) {
            if (answer.getStatus() == 401 || answer.getStatus() == 404 || answer.getStatus() == 422) {
                return Optional.empty();
            }
            if (answer.getStatus() != 200) {
                throw unavailable();
            }
            who = answer.readEntity(JsonNode.class).path("data");
        } catch (ProcessingException e) {
            throw unavailable();
        }
        Set<String> roles = new HashSet<>();
        who.path("roles").forEach(r -> {
            if (GRANTABLE.contains(r.asText())) {
                roles.add(r.asText());
            }
        });
        roles.add("user");
        long ttl = config.tokens().ttl().toSeconds();
        var claims = Jwt.issuer(issuer).audience(audience).subject(who.path("user_id").asText())
                .groups(roles).expiresIn(ttl);
        if (who.hasNonNull("budget_id")) {
            claims.claim("budget_id", who.get("budget_id").asText());
        }
        return Optional.of(new Issued(claims.sign(), ttl));
    }

    private static CodedError unavailable() {
        return new CodedError(503, "service_unavailable", "API keys cannot be checked right now; try again shortly");
    }
}
