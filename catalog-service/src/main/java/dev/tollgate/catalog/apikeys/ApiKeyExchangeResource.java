package dev.tollgate.catalog.apikeys;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.RequestFields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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

    @Inject
    ApiKeys apiKeys;

    @Inject
    JsonBody json;

    @POST
    public Map<String, Object> verify(String body) {
        RequestFields f = RequestFields.ofBody(json.parse(body));
        String presented = f.requiredString("api_key", 200);
        f.done();
        ApiKey key = apiKeys.verify(presented)
                .orElseThrow(() -> new CatalogError(401, "invalid_api_key", "Invalid API key"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user_id", key.userId);
        data.put("budget_id", key.budgetId);
        data.put("roles", key.roles);
        data.put("key_id", key.id.toHexString());
        return Map.of("success", true, "data", data);
    }
}
