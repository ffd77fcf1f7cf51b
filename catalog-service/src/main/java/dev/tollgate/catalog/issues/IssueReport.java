package dev.tollgate.catalog.issues;

import java.time.Instant;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.types.ObjectId;

/** An agent's report that a tool misbehaved. Kept even when the product could not be resolved. */
@MongoEntity(collection = "issue_reports")
public class IssueReport {
    @BsonId
    public ObjectId id;
    public String reporterUserId;
    public String budgetId;
    public String instanceId;
    /** Exactly as the agent supplied it. */
    public String productReference;
    public ObjectId productId;
    public String productName;
    public String lookupMethod;
    public String errorMessage;
    public String recommendedImprovements;
    public String status;
    public Instant createdAt;
    public String resolution;
    public Instant closedAt;
}
