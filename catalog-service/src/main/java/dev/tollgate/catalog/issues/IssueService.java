package dev.tollgate.catalog.issues;

import java.time.Instant;
import java.util.List;

import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.catalog.products.ProductLookup;
import dev.tollgate.catalog.products.ProductRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

/**
 * Issue reports: recorded whether or not the product could be resolved (an agent's flow never blocks on reporting),
 * then triaged and closed by admins.
 */
@ApplicationScoped
public class IssueService {

    /** Who reports: the caller, the budget their token is for, and their connection instance (if they sent one). */
    public record Reporter(String userId, String budgetId, String instanceId) {
    }

    private final IssueReportRepository reports;
    private final ProductRepository products;

    public IssueService(IssueReportRepository reports, ProductRepository products) {
        this.reports = reports;
        this.products = products;
    }

    /** Records the report; the product is resolved by ObjectId, slug, then exact name. */
    public IssueReport report(IssueReportRequest request, Reporter reporter) {
        ProductLookup lookup = products.lookup(request.productId());
        IssueReport report = new IssueReport();
        report.reporterUserId = reporter.userId();
        report.budgetId = reporter.budgetId();
        report.instanceId = reporter.instanceId();
        report.productReference = request.productId();
        report.productId = lookup.found() ? lookup.product().id : null;
        report.productName = lookup.found() ? lookup.product().name : null;
        report.lookupMethod = lookup.method().wireName();
        report.errorMessage = request.errorMessage();
        report.recommendedImprovements = request.recommendedImprovements();
        report.status = "open";
        report.createdAt = Instant.now();
        reports.persist(report);
        return report;
    }

    public List<IssueReport> newest(String status, String productReference, int limit) {
        return reports.newest(status, productReference, limit);
    }

    public IssueReport find(String id) {
        IssueReport r = ObjectId.isValid(id) ? reports.findById(new ObjectId(id)) : null;
        if (r == null) {
            throw CatalogError.notFound("Issue report not found");
        }
        return r;
    }

    public IssueReport close(IssueReport r, String resolution) {
        r.status = "closed";
        r.resolution = resolution;
        r.closedAt = Instant.now();
        reports.update(r);
        return r;
    }
}
