package dev.tollgate.workflow.limits;

import java.time.Instant;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;

/** A budget's own limit on its runs executing at once in one worker process (collection {@code runLimits}). */
@MongoEntity(collection = "runLimits")
public class RunLimit {
    @BsonId
    public String budgetId;
    public int maxConcurrentRuns;
    public Instant updatedAt;
}
