package dev.tollgate.gateway.embed;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.security.ServiceTokens;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * What the embed pages ask workflow-service, as the gateway (role {@code service}). A 200 carries an
 * {@code Envelope<WorkflowFound>}; a 404 names {@code workflow_not_found}. The status decides, so the call answers
 * the response itself ({@link EmbedLookups} reads it).
 */
@RegisterRestClient(configKey = "embed-workflow")
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Authorization", value = "{bearer}")
public interface WorkflowLookupClient {

    /** {@code data} of a workflow look-up. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record WorkflowFound(Workflow workflow) {
    }

    /** Only what an end user may see of a workflow. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Workflow(String workflowId, String name, String description) {
    }

    default String bearer() {
        return CDI.current().select(ServiceTokens.class).get().bearer();
    }

    /** A workflow's id, name and description. */
    @GET
    @Path("/internal/workflows/{id}")
    Response workflow(@PathParam("id") String id);
}
