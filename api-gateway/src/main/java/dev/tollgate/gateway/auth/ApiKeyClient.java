package dev.tollgate.gateway.auth;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.security.ServiceTokens;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * catalog-service's API-key exchange, called as the gateway (role {@code service}). API keys live, hashed, there.
 * Answers {@code Envelope<KeyHolder>} on a 200; the caller reads the status first (401, 404 and 422 mean no such key).
 */
@RegisterRestClient(configKey = "api-keys")
@Path("/internal/api-keys/verify")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Authorization", value = "{bearer}")
public interface ApiKeyClient {

    /** The body: {@code {"api_key": "..."}}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PresentedKey(String apiKey) {
    }

    /** Who a verified key speaks for ({@code data} of the answer); {@code budget_id} may be null. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KeyHolder(String userId, String budgetId, List<String> roles, String keyId) {
    }

    default String bearer() {
        return CDI.current().select(ServiceTokens.class).get().bearer();
    }

    @POST
    Response verify(PresentedKey key);
}
