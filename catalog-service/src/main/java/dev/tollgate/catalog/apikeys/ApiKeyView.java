package dev.tollgate.catalog.apikeys;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A key as its budget's owner or an admin sees it: never the key itself, only its first characters. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ApiKeyView(String keyId, String prefix, String label, String userId, String budgetId,
        List<String> roles, String createdAt, String revokedAt) {

    public static ApiKeyView of(ApiKey k) {
        return new ApiKeyView(k.id.toHexString(), k.prefix, k.label, k.userId, k.budgetId, k.roles, iso(k.createdAt),
                iso(k.revokedAt));
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
