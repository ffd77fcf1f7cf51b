package dev.tollgate.catalog.issues;

import java.util.List;

import io.quarkus.mongodb.panache.PanacheMongoRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;

/** Issue reports ({@code issue_reports}); triage reads them newest first, by status and by product reference. */
@ApplicationScoped
public class IssueReportRepository implements PanacheMongoRepository<IssueReport> {

    /** The newest {@code limit} reports, all of them or those with this status and/or product reference. */
    public List<IssueReport> newest(String status, String productReference, int limit) {
        Document filter = new Document();
        if (status != null) {
            filter.append("status", status);
        }
        if (productReference != null) {
            filter.append("productReference", productReference);
        }
        return find(filter, new Document("createdAt", -1)).page(0, limit).list();
    }
}
