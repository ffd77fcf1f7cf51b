package dev.tollgate.catalog.apikeys;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import dev.tollgate.platform.store.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

/**
 * Issues and verifies API keys: {@code tg_} + 32 random bytes (base64url). A 256-bit random key needs no slow
 * password hash: SHA-256 of it is a safe, constant-time-comparable lookup key.
 */
@ApplicationScoped
public class ApiKeyService {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key just issued: its record, and the key itself, which is shown this once and never stored. */
    public record Issued(ApiKey record, String plaintext) {
    }

    private final ApiKeyRepository keys;

    public ApiKeyService(ApiKeyRepository keys) {
        this.keys = keys;
    }

    public Issued issue(String userId, String budgetId, List<String> roles, String label) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String plaintext = "tg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiKey key = new ApiKey();
        key.id = new ObjectId();
        key.hash = hash(plaintext);
        key.prefix = plaintext.substring(0, 10);
        key.userId = userId;
        key.budgetId = budgetId;
        key.roles = List.copyOf(roles);
        key.label = label;
        key.createdAt = Instant.now();
        keys.persist(key);
        return new Issued(key, plaintext);
    }

    /** The live key record for a presented key, if any. */
    public Optional<ApiKey> verify(String presented) {
        if (presented == null || !presented.startsWith("tg_") || presented.length() > 100) {
            return Optional.empty();
        }
        return keys.findLiveByHash(hash(presented));
    }

    /** The budget's keys, newest first, revoked ones included (they say when). */
    public List<ApiKey> ofBudget(String budgetId) {
        return keys.listByBudget(budgetId);
    }

    /**
     * Revokes one of the budget's keys: from now on it exchanges for no token. Empty when the budget has no such
     * key. Revoking a revoked key changes nothing (it keeps the time it was first revoked).
     */
    public Optional<ApiKey> revoke(String budgetId, String keyId) {
        if (!ObjectId.isValid(keyId)) {
            return Optional.empty();
        }
        return keys.revoke(budgetId, new ObjectId(keyId));
    }

    static String hash(String key) {
        return Sha256.hex(key);
    }
}
