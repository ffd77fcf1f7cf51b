package dev.tollgate.catalog.apikeys;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.platform.web.Envelope;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.RequestFields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

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
    public Envelope<KeyHolder> verify(String body) {
        RequestFields f = RequestFields.ofBody(json.parse(body));
        String presented = f.requiredString("api_key", 200);
        f.done();
        ApiKey key = apiKeys.verify(presented)
                .orElseThrow(() -> new CatalogError(401, "invalid_api_key", "Invalid API key"));
        return Envelope.of(new KeyHolder(key.userId, key.budgetId, key.roles, key.id.toHexString()));
    }
}
