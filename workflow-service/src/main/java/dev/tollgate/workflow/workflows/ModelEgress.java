package dev.tollgate.workflow.workflows;

import java.net.InetAddress;
import java.util.List;

import dev.tollgate.http.egress.EgressPolicy;
import dev.tollgate.workflow.config.WorkflowConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Where model steps may send their prompts: https to a public address, or a private model server the operator put on
 * {@code tollgate.workflow.models.private-allow-list}. Checked when a workflow is saved and again at every call.
 */
@ApplicationScoped
public class ModelEgress {

    private static final Logger LOG = Logger.getLogger(ModelEgress.class);

    private final EgressPolicy policy;

    @Inject
    public ModelEgress(WorkflowConfig config) {
        List<String> allowList = config.models().privateAllowList().orElse(List.of());
        this.policy = new EgressPolicy(config.models().allowLoopbackHttp(), allowList, InetAddress::getAllByName);
    }

    void announce(@Observes StartupEvent event, WorkflowConfig config) {
        config.models().privateAllowList().ifPresent(list -> LOG.infof("model steps may call private %s", list));
    }

    public EgressPolicy policy() {
        return policy;
    }
}
