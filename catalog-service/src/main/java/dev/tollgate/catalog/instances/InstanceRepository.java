package dev.tollgate.catalog.instances;

import java.time.Instant;
import java.util.Date;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.conversions.Bson;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Connection instances ({@code instances}), one document per user and instance id: the same id sent by two users
 * names two different scopes. Never deleted.
 */
@ApplicationScoped
public class InstanceRepository {

    private final MongoClient mongo;
    private final String database;

    public InstanceRepository(MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        this.mongo = mongo;
        this.database = database;
    }

    /**
     * Records the instance if it is new (owner and creation time are written once); {@code metadata}, when given,
     * replaces what it had.
     */
    public void record(String userId, String instanceId, String metadata) {
        Bson created = Updates.combine(Updates.setOnInsert("userId", userId),
                Updates.setOnInsert("createdAt", Date.from(Instant.now())));
        Bson update = metadata == null ? created : Updates.combine(created, Updates.set("metadata", metadata));
        mongo.getDatabase(database).getCollection("instances").updateOne(
                Filters.eq("_id", key(userId, instanceId)), update, new UpdateOptions().upsert(true));
    }

    static String key(String userId, String instanceId) {
        return userId + "/" + instanceId;
    }
}
