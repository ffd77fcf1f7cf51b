package dev.tollgate.workflow.runs;

import java.util.Optional;

import io.quarkus.mongodb.panache.PanacheMongoRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.types.ObjectId;

@ApplicationScoped
public class RunRepository implements PanacheMongoRepository<Run> {

    /** The run, if it exists and belongs to {@code userId}: another user's run is indistinguishable from none. */
    public Optional<Run> findOwned(ObjectId runId, String userId) {
        return find(new Document("_id", runId).append("ownerUserId", userId)).firstResultOptional();
    }
}
