package dev.tollgate.gateway.auth;

import java.util.Map;

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

/** catalog-service's API-key exchange, called as the gateway (role {@code service}). API keys live, hashed, there. */
@RegisterRestClient(configKey = "api-keys")
@Path("/internal/api-keys/verify")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Authorization", value = "{bearer}")
public interface ApiKeyClient {

    default String bearer() {
        return CDI.current().select(ServiceTokens.class).get().bearer();
    }

    @POST
    Response verify(Map<String, Object> apiKey);
}
