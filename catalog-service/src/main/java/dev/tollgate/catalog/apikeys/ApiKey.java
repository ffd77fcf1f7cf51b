package dev.tollgate.catalog.apikeys;

import java.time.Instant;
import java.util.List;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.types.ObjectId;

/** An API key for one budget. Only its SHA-256 hash is stored; the key itself is shown once, at creation. */
@MongoEntity(collection = "api_keys")
public class ApiKey {
    @BsonId
    public ObjectId id;
    public String hash;
    /** The first characters of the key, so people can tell their keys apart. */
    public String prefix;
    public String userId;
    public String budgetId;
    public List<String> roles;
    public String label;
    public Instant createdAt;
    public Instant revokedAt;
}
