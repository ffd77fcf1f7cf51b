package dev.tollgate.catalog.approvals;

import java.time.Instant;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.types.ObjectId;

/**
 * A request to clear one blocker of a budget: add a workflow to it, or provide a credential. While open it carries
 * {@code openKey} (unique), so asking again finds it instead of opening a duplicate.
 */
@MongoEntity(collection = "approval_requests")
public class ApprovalRequest {
    public static final String ADD_WORKFLOW = "add_workflow";
    public static final String CREDENTIAL = "credential";
    public static final String OPEN = "open";
    public static final String APPROVED = "approved";

    @BsonId
    public ObjectId id;
    public String budgetId;
    public String kind;
    public String workflowId;
    public String credentialKey;
    public String description;
    public String status;
    public String openKey;
    public Instant createdAt;
    public Instant resolvedAt;
    public String resolvedBy;
}
