package dev.tollgate.callback.signing;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import dev.tollgate.callback.config.CallbackConfig;
import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.Document;

@ApplicationScoped
public class SigningSecrets implements PanacheMongoRepositoryBase<SigningSecret, String> {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    CallbackConfig config;

    /**
     * The user's secret, created on first use. An upsert with {@code $setOnInsert}, so two first requests racing
     * still agree on one secret.
     */
    public SigningSecret forUser(String userId) {
        return mongoCollection().findOneAndUpdate(new Document("_id", userId),
                Updates.combine(Updates.setOnInsert("secret", newSecret()), Updates.setOnInsert("createdAt", Instant.now())),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
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
                return rotated;
            }
        }
    }

    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }
}
