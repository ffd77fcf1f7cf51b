package dev.tollgate.workflow.workflows;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.platform.web.CodedError;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.workflow.authorizations.TriggerAuthorizations;
import dev.tollgate.workflow.catalog.Catalog;
import io.quarkus.qute.Engine;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bson.types.ObjectId;

/** Admin API for workflow definitions: create, replace, read, list. */
@Path("/admin/workflows")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class WorkflowAdminResource {

    @Inject
    WorkflowRepository workflows;

    @Inject
    Catalog catalog;

    @Inject
    Engine qute;

    @Inject
    WorkflowDefinitions definitions;

    @Inject
    ModelEgress modelEgress;

    @Inject
    TriggerAuthorizations authorizations;

    @Inject
    JsonBody json;

    @Inject
    ObjectMapper mapper;

    @POST
    public Response create(String body) {
        Workflow w = WorkflowDefinition.parse(json.parse(body), catalog, qute, modelEgress.policy());
        w.id = new ObjectId();
        w.createdAt = Instant.now();
        w.updatedAt = w.createdAt;
        workflows.persist(w);
        return Response.status(201).entity(Map.of("success", true, "data", Map.of("workflow", view(w)))).build();
    }

    @PUT
    @Path("/{id}")
    public Map<String, Object> replace(@PathParam("id") String id, String body) {
        Workflow existing = find(id);
        Workflow w = WorkflowDefinition.parse(json.parse(body), catalog, qute, modelEgress.policy());
        w.id = existing.id;
        w.createdAt = existing.createdAt;
        w.updatedAt = Instant.now();
        workflows.update(w);
        definitions.changed(w.id);
        authorizations.workflowChanged(w.id.toHexString());
        return Map.of("success", true, "data", Map.of("workflow", view(w)));
    }

    @GET
    @Path("/{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return Map.of("success", true, "data", Map.of("workflow", view(find(id))));
    }

    @GET
    public Map<String, Object> list() {
        List<Map<String, Object>> all = workflows.listAll().stream().map(this::view).toList();
        return Map.of("success", true, "data", Map.of("workflows", all));
    }

    private Workflow find(String id) {
        Workflow w = ObjectId.isValid(id) ? workflows.findById(new ObjectId(id)) : null;
        if (w == null) {
            throw new CodedError(404, "workflow_not_found", "No workflow " + id);
        }
        return w;
    }

    private Map<String, Object> view(Workflow w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workflow_id", w.id.toHexString());
        m.put("name", w.name);
        m.put("description", w.description);
        m.put("steps", w.steps.stream().map(s -> {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("id", s.id);
            step.put("type", s.type);
            switch (s.type) {
                case "tool" -> {
                    step.put("product_id", s.productId);
                    step.put("action", s.action);
                    try {
                        step.put("parameters", mapper.readTree(s.parametersTemplate));
                    } catch (java.io.IOException e) {
                        step.put("parameters", null);
                    }
                }
                case "model" -> {
                    step.put("base_url", s.baseUrl);
                    step.put("model", s.model);
                    step.put("api_key_credential", s.apiKeyCredential);
                    step.put("template", s.template);
                }
                default -> step.put("template", s.template);
            }
            return step;
        }).toList());
        m.put("required_credentials", w.requiredCredentials);
        m.put("max_run_seconds", w.maxRunSeconds);
        m.put("created_at", w.createdAt.toString());
        m.put("updated_at", w.updatedAt.toString());
        return m;
    }
}
