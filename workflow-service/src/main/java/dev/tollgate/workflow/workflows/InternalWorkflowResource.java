package dev.tollgate.workflow.workflows;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tollgate.platform.web.CodedError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.bson.types.ObjectId;

/**
 * Internal, for the gateway's embed pages: does this workflow exist, and what is it called? Only what an end user
 * may see (name, description); the steps, and the endpoints and credentials they name, stay with admins.
 */
@Path("/internal/workflows/{id}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("service")
public class InternalWorkflowResource {

    @Inject
    WorkflowRepository workflows;

    @GET
    public Map<String, Object> get(@PathParam("id") String id) {
        Workflow w = ObjectId.isValid(id) ? workflows.findById(new ObjectId(id)) : null;
        if (w == null) {
            throw new CodedError(404, "workflow_not_found", "No workflow " + id);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workflow_id", w.id.toHexString());
        m.put("name", w.name);
        m.put("description", w.description);
        return Map.of("success", true, "data", Map.of("workflow", m));
    }
}
