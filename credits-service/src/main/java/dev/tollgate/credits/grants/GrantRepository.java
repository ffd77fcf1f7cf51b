package dev.tollgate.credits.grants;

import java.util.List;

import org.bson.Document;
import io.quarkus.mongodb.panache.PanacheMongoRepository;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class GrantRepository implements PanacheMongoRepository<Grant> {

    /** Grants that still hold credit (expired or not: the caller decides what "now" is). */
    public List<Grant> withRemainingCredit(String userId) {
        return list(new Document("userId", userId).append("remainingCredits", new Document("$gt", 0)));
    }
}
