package dev.tollgate.workflow.roles;

import java.util.Locale;

import dev.tollgate.platform.web.ErrorFamily;
import dev.tollgate.platform.web.ErrorMappers;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A worker pod keeps its health, metrics and OpenAPI endpoints (probes need them) but answers no public API
 * request: those belong to the api role, and a misrouted request should say so rather than half-work.
 */
public class WorkerServesNoApi {

    private static final Logger LOG = Logger.getLogger(WorkerServesNoApi.class);

    private final ServiceRole role;

    public WorkerServesNoApi(ServiceRole role) {
        this.role = role;
    }

    void announce(@Observes StartupEvent start) {
        LOG.infof("workflow-service role: %s", role.role().name().toLowerCase(Locale.ROOT));
    }

    @ServerRequestFilter(preMatching = true)
    public Response refuseApiOnWorkers(ContainerRequestContext request) {
        if (role.isWorker() && request.getUriInfo().getPath().startsWith("/api/")) {
            return ErrorMappers.json(404, ErrorFamily.WEBHOOKS.body("not_served_by_worker",
                    "This is a workflow worker; the API is served by the api role"));
        }
        return null;
    }
}
