package dev.tollgate.catalog.apikeys;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The answer to issuing a key: the only time the key itself is shown. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IssuedApiKeyView(String apiKey, String keyId, String prefix, String userId, String budgetId,
        List<String> roles, String note) {

    public static IssuedApiKeyView of(ApiKeyService.Issued issued) {
        ApiKey k = issued.record();
        return new IssuedApiKeyView(issued.plaintext(), k.id.toHexString(), k.prefix, k.userId, k.budgetId, k.roles,
                "Store this key now: it is not shown again.");
    }
}
