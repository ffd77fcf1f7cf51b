package dev.tollgate.callback.signing;

import java.time.Instant;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;

/** A user's Standard Webhooks signing secret ({@code whsec_} + base64 of 32 random bytes). One per user. */
@MongoEntity(collection = "signing_secrets")
public class SigningSecret {
    /** The user id: one secret per user, enforced by the primary key. */
    @BsonId
    public String userId;
    public String secret;
    public Instant createdAt;
}
