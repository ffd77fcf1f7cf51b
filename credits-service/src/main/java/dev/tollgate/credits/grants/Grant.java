package dev.tollgate.credits.grants;

import java.time.Instant;
import java.util.Map;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.types.ObjectId;

/** Credits given to one user, consumed over time; {@code remainingCredits} is what is left of it. */
@MongoEntity(collection = "grants")
public class Grant {
    @BsonId
    public ObjectId id;
    public String userId;
    public long amountCredits;
    public long remainingCredits;
    public String creditType;
    public Map<String, Object> sourceMetadata;
    public Instant dateCreated;
    public Instant pooledAt;
    /** {@code null} for credit that never expires. */
    public Instant expiresAt;

    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }
}
