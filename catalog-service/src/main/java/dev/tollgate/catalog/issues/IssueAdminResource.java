package dev.tollgate.catalog.issues;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tollgate.catalog.http.CatalogError;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.RequestFields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.bson.Document;
import org.bson.types.ObjectId;

/** Admins triage issue reports: list them (by status, by product) and close them with a resolution. */
@Path("/admin/issues")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class IssueAdminResource {

    @Inject
    IssueReportRepository reports;

    @Inject
    JsonBody json;

    @GET
    public Map<String, Object> list(@QueryParam("status") String status, @QueryParam("product_id") String productId,
            @QueryParam("limit") String limit) {
        int n = RequestFields.queryInt("limit", limit, 100, 1, 1000);
        Document filter = new Document();
        if (status != null) {
            filter.append("status", status);
        }
        if (productId != null) {
            filter.append("productReference", productId);
        }
        List<Map<String, Object>> all = reports.find(filter, new Document("createdAt", -1)).page(0, n).list().stream()
                .map(IssueAdminResource::view).toList();
        return Map.of("success", true, "data", Map.of("issues", all));
    }

    @POST
    @Path("/{id}/close")
    public Map<String, Object> close(@PathParam("id") String id, String body) {
        IssueReport r = ObjectId.isValid(id) ? reports.findById(new ObjectId(id)) : null;
        if (r == null) {
            throw CatalogError.notFound("Issue report not found");
        }
        String resolution = null;
        if (body != null && !body.isBlank()) {
            RequestFields f = RequestFields.ofBody(json.parse(body));
            resolution = f.optionalString("resolution", 4000);
            f.done();
        }
        r.status = "closed";
        r.resolution = resolution;
        r.closedAt = Instant.now();
        reports.update(r);
        return Map.of("success", true, "data", Map.of("issue", view(r)));
    }

    static Map<String, Object> view(IssueReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issue_id", r.id.toHexString());
        m.put("status", r.status);
        m.put("product_id", r.productReference);
        m.put("product_found", r.productId != null);
        m.put("product_name", r.productName);
        m.put("lookup_method", r.lookupMethod);
        m.put("error_message", r.errorMessage);
        m.put("recommended_improvements", r.recommendedImprovements);
        m.put("reporter_user_id", r.reporterUserId);
        m.put("instance_id", r.instanceId);
        m.put("created_at", r.createdAt == null ? null : r.createdAt.toString());
        m.put("resolution", r.resolution);
        m.put("closed_at", r.closedAt == null ? null : r.closedAt.toString());
        return m;
    }
}
