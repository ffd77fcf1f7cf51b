package dev.tollgate.workflow.workflows;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import dev.tollgate.platform.egress.EgressPolicy;
import dev.tollgate.platform.egress.PinnedClient;
import dev.tollgate.workflow.config.WorkflowConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Where model steps may send their prompts: https to a public address, or a private model server the operator put on
 * {@code tollgate.workflow.models.private-allow-list}. Checked when a workflow is saved and again at every call, which
 * then connects to exactly the address checked ({@link PinnedClient}).
 */
@ApplicationScoped
public class ModelEgress {

    private static final Logger LOG = Logger.getLogger(ModelEgress.class);

    private final EgressPolicy policy;
    private final PinnedClient client;

    public ModelEgress(WorkflowConfig config, Vertx vertx) {
        List<String> allowList = config.models().privateAllowList().orElse(List.of());
        this.policy = new EgressPolicy(config.models().allowLoopbackHttp(), allowList, InetAddress::getAllByName);
        this.client = new PinnedClient(vertx, policy, Duration.ofSeconds(5));
    }

    void close(@Observes ShutdownEvent event) {
        client.close();
    }

    /** Calls a model server at exactly the address the rules checked. */
    public PinnedClient client() {
        return client;
    }

    void announce(@Observes StartupEvent event, WorkflowConfig config) {
        config.models().privateAllowList().ifPresent(list -> LOG.infof("model steps may call private %s", list));
    }

    public EgressPolicy policy() {
        return policy;
    }
}
