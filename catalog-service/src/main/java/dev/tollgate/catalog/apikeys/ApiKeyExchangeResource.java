package dev.tollgate.catalog.apikeys;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.platform.web.Envelope;
import dev.tollgate.platform.web.JsonBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** Internal: the gateway exchanges a presented API key for who it speaks for, then issues an access token. */
@Path("/internal/api-keys/verify")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("service")
public class ApiKeyExchangeResource {

    /** Who a verified key speaks for. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record KeyHolder(String userId, String budgetId, List<String> roles, String keyId) {
    }

    private final ApiKeyService apiKeys;
    private final JsonBody json;

    public ApiKeyExchangeResource(ApiKeyService apiKeys, JsonBody json) {
        this.apiKeys = apiKeys;
        this.json = json;
    }

    @POST
    public Envelope<KeyHolder> verify(
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PresentedKey.class))) String body) {
        ApiKey key = apiKeys.verify(PresentedKey.from(json.parse(body)).apiKey())
                .orElseThrow(() -> new CatalogError(401, "invalid_api_key", "Invalid API key"));
        return Envelope.of(new KeyHolder(key.userId, key.budgetId, key.roles, key.id.toHexString()));
    }
}
