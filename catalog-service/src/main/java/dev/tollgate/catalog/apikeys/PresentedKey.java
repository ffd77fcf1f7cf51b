package dev.tollgate.catalog.apikeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.web.RequestFields;

/** The body of the gateway's key exchange ({@code POST /internal/api-keys/verify}): the key a caller presented. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PresentedKey(String apiKey) {

    public static PresentedKey from(JsonNode body) {
        RequestFields f = RequestFields.ofBody(body);
        String presented = f.requiredString("api_key", 200);
        f.done();
        return new PresentedKey(presented);
    }
}
