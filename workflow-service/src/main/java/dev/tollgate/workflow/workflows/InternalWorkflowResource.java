package dev.tollgate.workflow.workflows;

import dev.tollgate.platform.web.CodedError;
import dev.tollgate.platform.web.Envelope;
import jakarta.annotation.security.RolesAllowed;
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

    public record OneWorkflow(WorkflowSummary workflow) {
    }

    private final WorkflowRepository workflows;

    public InternalWorkflowResource(WorkflowRepository workflows) {
        this.workflows = workflows;
    }

    @GET
    public Envelope<OneWorkflow> get(@PathParam("id") String id) {
        Workflow w = ObjectId.isValid(id) ? workflows.findById(new ObjectId(id)) : null;
        if (w == null) {
            throw new CodedError(404, "workflow_not_found", "No workflow " + id);
        }
        return Envelope.of(new OneWorkflow(WorkflowSummary.of(w)));
    }
}
