package dev.tollgate.catalog.issues;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.catalog.products.ProductLookup;
import dev.tollgate.catalog.products.ProductRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/issues/report")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class IssueReportResource {

    @Inject
    JsonWebToken caller;

    @Inject
    JsonBody json;

    @Inject
    ProductRepository products;

    @Inject
    IssueReportRepository reports;

    /** Always 200 for a well-formed report, found product or not: an agent's flow must never block on reporting. */
    @POST
    @RolesAllowed("user")
    public Map<String, Object> report(String body, @HeaderParam("x-instance-id") String instanceId) {
        IssueReportRequest request = IssueReportRequest.from(json.parse(body));
        ProductLookup lookup = products.lookup(request.productId());

        IssueReport report = new IssueReport();
        report.reporterUserId = caller.getSubject();
        report.budgetId = caller.getClaim("budget_id");
        report.instanceId = instanceId;
        report.productReference = request.productId();
        report.productId = lookup.found() ? lookup.product().id : null;
        report.productName = lookup.found() ? lookup.product().name : null;
        report.lookupMethod = lookup.method().wireName();
        report.errorMessage = request.errorMessage();
        report.recommendedImprovements = request.recommendedImprovements();
        report.status = "open";
        report.createdAt = Instant.now();
        reports.persist(report);

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("issue_id", report.id.toHexString());
        data.put("product_found", lookup.found());
        data.put("lookup_method", report.lookupMethod);
        data.put("product_id", request.productId());
        data.put("product_name", report.productName);
        data.put("status", report.status);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("success", true);
        response.put("message", lookup.found() ? "Issue reported" : "Issue recorded; the product could not be resolved");
        response.put("data", data);
        return response;
    }
}
