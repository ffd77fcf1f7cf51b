package dev.tollgate.catalog.apikeys;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import io.quarkus.mongodb.panache.PanacheMongoRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.types.ObjectId;

/** API key records ({@code api_keys}), found by the SHA-256 of the key (unique index) or by budget. */
@ApplicationScoped
public class ApiKeyRepository implements PanacheMongoRepository<ApiKey> {

    /** The key record with this hash, unless it was revoked. */
    public Optional<ApiKey> findLiveByHash(String hash) {
        return find(new Document("hash", hash).append("revokedAt", null)).firstResultOptional();
    }

    /** The budget's keys, newest first, revoked ones included. */
    public List<ApiKey> listByBudget(String budgetId) {
        return find(new Document("budgetId", budgetId), new Document("_id", -1)).list();
    }

    /**
     * Marks one of the budget's keys revoked now, unless it already was (it keeps the time it was first revoked),
     * and returns it as it stands; empty when the budget has no such key.
     */
    public Optional<ApiKey> revoke(String budgetId, ObjectId id) {
        mongoCollection().updateOne(new Document("_id", id).append("budgetId", budgetId).append("revokedAt", null),
                new Document("$set", new Document("revokedAt", Date.from(Instant.now()))));
        return find(new Document("_id", id).append("budgetId", budgetId)).firstResultOptional();
    }
}
