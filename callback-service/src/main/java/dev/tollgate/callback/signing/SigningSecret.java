package dev.tollgate.callback.signing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * A user's Standard Webhooks signing secret ({@code whsec_} + base64 of 32 random bytes), one per user. After a
 * rotation the previous secret keeps signing until {@code previousExpiresAt}, so a receiver can switch over without
 * rejecting a single callback.
 */
@MongoEntity(collection = "signing_secrets")
public class SigningSecret {
    /** The user id: one secret per user, enforced by the primary key. */
    @BsonId
    public String userId;
    public String secret;
    public Instant createdAt;
    public String previousSecret;
    public Instant previousExpiresAt;

    /** The secrets that sign a callback sent at {@code now}: the current one, and the previous one in its window. */
    public List<String> signingSecrets(Instant now) {
        List<String> secrets = new ArrayList<>(List.of(secret));
        if (previousSecret != null && previousExpiresAt != null && now.isBefore(previousExpiresAt)) {
            secrets.add(previousSecret);
        }
        return secrets;
    }
}
