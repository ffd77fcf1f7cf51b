package dev.tollgate.callback.signing;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import dev.tollgate.callback.config.CallbackConfig;
import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;

/**
 * Users' signing secrets. Every attempt signs with its owner's secret, so the secrets that sign are kept in memory:
 * secrets change only through this service ({@link #forUser} creating one, {@link #rotate}), and each of those puts
 * what it wrote into the cache, so this replica never signs with a secret it replaced. Another replica's rotation
 * is seen once the entry expires ({@code tollgate.callbacks.signing.cache-ttl}, seconds): until then this replica
 * still signs with the secret that rotation made the previous one (the README says what that means for receivers).
 * The API ({@link #forUser}) always reads the store, so a user never sees a secret older than the stored one.
 */
@ApplicationScoped
public class SigningSecrets implements PanacheMongoRepositoryBase<SigningSecret, String> {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CallbackConfig config;

    private Cache<String, SigningSecret> signing;

    public SigningSecrets(CallbackConfig config) {
        this.config = config;
    }

    @PostConstruct
    void createCache() {
        signing = Caffeine.newBuilder().maximumSize(config.signing().cacheSize())
                .expireAfterWrite(config.signing().cacheTtl()).build();
    }

    /**
     * The user's secret as stored now, created on first use. An upsert with {@code $setOnInsert}, so two first
     * requests racing still agree on one secret.
     */
    public SigningSecret forUser(String userId) {
        SigningSecret current = mongoCollection().findOneAndUpdate(new Document("_id", userId),
                Updates.combine(Updates.setOnInsert("secret", newSecret()), Updates.setOnInsert("createdAt", Instant.now())),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        remember(userId, current);
        return current;
    }

    /** The secret that signs the user's callbacks: from memory, read (or created) when absent or expired. */
    public SigningSecret forSigning(String userId) {
        SigningSecret cached = signing.getIfPresent(userId);
        return cached != null ? cached : forUser(userId);
    }

    /**
     * A new secret; the one it replaces keeps signing for the rotation window. Conditional on the secret read, so of
     * two racing rotations each replaces a secret that really was current (no secret is skipped over unseen).
     */
    public SigningSecret rotate(String userId) {
        while (true) {
            SigningSecret current = forUser(userId);
            SigningSecret rotated = mongoCollection().findOneAndUpdate(
                    Filters.and(Filters.eq("_id", userId), Filters.eq("secret", current.secret)),
                    Updates.combine(Updates.set("secret", newSecret()), Updates.set("createdAt", Instant.now()),
                            Updates.set("previousSecret", current.secret),
                            Updates.set("previousExpiresAt", Instant.now().plus(config.signing().rotationWindow()))),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
            if (rotated != null) {
                remember(userId, rotated);
                return rotated;
            }
        }
    }

    /** Keeps the newer of two reads: a read that started before a rotation may finish after it. */
    private void remember(String userId, SigningSecret secret) {
        signing.asMap().merge(userId, secret, (held, read) -> read.createdAt != null && held.createdAt != null
                && read.createdAt.isBefore(held.createdAt) ? held : read);
    }

    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }
}
