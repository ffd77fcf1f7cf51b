package dev.tollgate.catalog.bundles;

import java.time.Instant;
import java.util.List;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.types.ObjectId;

/** A named group of products and workflows, offered together (the embed widget's bundle page). */
@MongoEntity(collection = "bundles")
public class Bundle {
    @BsonId
    public ObjectId id;
    public String name;
    public String description;
    public List<String> productIds;
    public List<String> workflowIds;
    public Instant createdAt;
}
