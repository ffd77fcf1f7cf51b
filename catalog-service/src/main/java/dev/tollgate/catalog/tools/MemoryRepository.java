package dev.tollgate.catalog.tools;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The kv_memory tool's values ({@code memory}), one document per scope and key; a value is kept as JSON text. The
 * index on (scope, key) serves counting and listing one scope's keys.
 */
@ApplicationScoped
public class MemoryRepository {

    private final MongoClient mongo;
    private final String database;

    public MemoryRepository(MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        this.mongo = mongo;
        this.database = database;
    }

    public long count(String scope) {
        return memory().countDocuments(Filters.eq("scope", scope));
    }

    public boolean holds(String scope, String key) {
        return memory().find(Filters.eq("_id", id(scope, key))).first() != null;
    }

    public void put(String scope, String key, String valueJson) {
        memory().replaceOne(Filters.eq("_id", id(scope, key)),
                new Document("_id", id(scope, key)).append("scope", scope).append("key", key)
                        .append("value", valueJson).append("updatedAt", Date.from(Instant.now())),
                new ReplaceOptions().upsert(true));
    }

    /** The value stored under the key, as JSON text. */
    public Optional<String> find(String scope, String key) {
        Document d = memory().find(Filters.eq("_id", id(scope, key))).first();
        return d == null ? Optional.empty() : Optional.of(d.getString("value"));
    }

    public boolean delete(String scope, String key) {
        return memory().deleteOne(Filters.eq("_id", id(scope, key))).getDeletedCount() == 1;
    }

    /** The scope's keys in key order. */
    public List<String> keys(String scope) {
        List<String> keys = new ArrayList<>();
        memory().find(Filters.eq("scope", scope)).sort(Sorts.ascending("key")).forEach(d -> keys.add(d.getString("key")));
        return keys;
    }

    private static String id(String scope, String key) {
        return scope + "\u0000" + key;
    }

    private MongoCollection<Document> memory() {
        return mongo.getDatabase(database).getCollection("memory");
    }
}
