package dev.tollgate.workflow.workflows;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.platform.web.CodedError;
import dev.tollgate.platform.web.Envelope;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.workflow.authorizations.TriggerAuthorizations;
import dev.tollgate.workflow.catalog.Catalog;
import io.quarkus.qute.Engine;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** Admin API for workflow definitions: create, replace, read, list. */
@Path("/admin/workflows")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class WorkflowAdminResource {

    public record OneWorkflow(WorkflowView workflow) {
    }

    public record AllWorkflows(List<WorkflowView> workflows) {
    }

    private final WorkflowRepository workflows;
    private final Catalog catalog;
    private final Engine qute;
    private final WorkflowDefinitions definitions;
    private final ModelEgress modelEgress;
    private final TriggerAuthorizations authorizations;
    private final JsonBody json;
    private final ObjectMapper mapper;
    private final Clock clock;

    public WorkflowAdminResource(WorkflowRepository workflows, Catalog catalog, Engine qute,
            WorkflowDefinitions definitions, ModelEgress modelEgress, TriggerAuthorizations authorizations,
            JsonBody json, ObjectMapper mapper, Clock clock) {
        this.workflows = workflows;
        this.catalog = catalog;
        this.qute = qute;
        this.definitions = definitions;
        this.modelEgress = modelEgress;
        this.authorizations = authorizations;
        this.json = json;
        this.mapper = mapper;
        this.clock = clock;
    }

    @POST
    public Response create(
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WorkflowRequest.class))) String body) {
        Workflow w = WorkflowDefinition.parse(json.parse(body), catalog, qute, modelEgress.policy());
        w.id = new ObjectId();
        w.createdAt = Instant.now(clock);
        w.updatedAt = w.createdAt;
        workflows.persist(w);
        return Response.status(201).entity(one(w)).build();
    }

    @PUT
    @Path("/{id}")
    public Envelope<OneWorkflow> replace(@PathParam("id") String id,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WorkflowRequest.class))) String body) {
        Workflow existing = find(id);
        Workflow w = WorkflowDefinition.parse(json.parse(body), catalog, qute, modelEgress.policy());
        w.id = existing.id;
        w.createdAt = existing.createdAt;
        w.updatedAt = Instant.now(clock);
        workflows.update(w);
        definitions.changed(w.id);
        authorizations.workflowChanged(w.id.toHexString());
        return one(w);
    }

    @GET
    @Path("/{id}")
    public Envelope<OneWorkflow> get(@PathParam("id") String id) {
        return one(find(id));
    }

    @GET
    public Envelope<AllWorkflows> list() {
        return Envelope.of(new AllWorkflows(workflows.listAll().stream().map(w -> WorkflowView.of(w, mapper))
                .toList()));
    }

    private Envelope<OneWorkflow> one(Workflow w) {
        return Envelope.of(new OneWorkflow(WorkflowView.of(w, mapper)));
    }

    private Workflow find(String id) {
        Workflow w = ObjectId.isValid(id) ? workflows.findById(new ObjectId(id)) : null;
        if (w == null) {
            throw new CodedError(404, "workflow_not_found", "No workflow " + id);
        }
        return w;
    }
}
