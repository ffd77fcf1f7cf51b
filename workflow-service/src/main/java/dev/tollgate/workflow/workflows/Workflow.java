package dev.tollgate.workflow.workflows;

import java.time.Instant;
import java.util.List;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.types.ObjectId;

/** An ordered list of steps that a trigger runs, with the credentials it needs and how long a run may take. */
@MongoEntity(collection = "workflows")
public class Workflow {
    @BsonId
    public ObjectId id;
    public String name;
    public String description;
    public List<WorkflowStep> steps;
    public List<String> requiredCredentials;
    public int maxRunSeconds;
    public Instant createdAt;
    public Instant updatedAt;
}
