package dev.tollgate.catalog.approvals;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.panache.PanacheMongoRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.types.ObjectId;

/** Approval requests ({@code approval_requests}); at most one open request per blocker (unique, sparse openKey). */
@ApplicationScoped
public class ApprovalRequestRepository implements PanacheMongoRepository<ApprovalRequest> {

    /**
     * The open request for this blocker, opened now if there is none. Safe under races: the unique {@code openKey}
     * lets exactly one insert win; the losers read the winner's request.
     */
    public ApprovalRequest openOrGet(String budgetId, String kind, String workflowId, String credentialKey,
            String description) {
        String openKey = budgetId + "|" + kind + "|" + (isAddWorkflow(kind) ? workflowId : credentialKey);
        for (int attempt = 0; attempt < 5; attempt++) {
            ApprovalRequest existing = find(new Document("openKey", openKey)).firstResult();
            if (existing != null) {
                return existing;
            }
            ApprovalRequest r = new ApprovalRequest();
            r.id = new ObjectId();
            r.budgetId = budgetId;
            r.kind = kind;
            r.workflowId = workflowId;
            r.credentialKey = credentialKey;
            r.description = description;
            r.status = ApprovalRequest.OPEN;
            r.openKey = openKey;
            r.createdAt = Instant.now();
            try {
                persist(r);
                return r;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("could not open or find the approval request " + openKey);
    }

    /** Marks an open request approved (only once: returns false if it was not open). */
    public boolean approve(ObjectId id, String by) {
        return mongoCollection().updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("status", ApprovalRequest.OPEN)),
                Updates.combine(Updates.set("status", ApprovalRequest.APPROVED), Updates.unset("openKey"),
                        Updates.set("resolvedAt", Date.from(Instant.now())), Updates.set("resolvedBy", by)))
                .getModifiedCount() == 1;
    }

    /** A budget's requests, newest first, all of them or those with this status. */
    public List<ApprovalRequest> listByBudget(String budgetId, String status) {
        Document filter = new Document("budgetId", budgetId);
        if (status != null) {
            filter.append("status", status);
        }
        return find(filter, new Document("createdAt", -1)).list();
    }

    private static boolean isAddWorkflow(String kind) {
        return ApprovalRequest.ADD_WORKFLOW.equals(kind);
    }
}
