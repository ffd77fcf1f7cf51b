package dev.tollgate.catalog.tools;

import java.net.InetAddress;
import java.util.List;

import dev.tollgate.catalog.config.CatalogConfig;
import dev.tollgate.platform.egress.EgressPolicy;
import dev.tollgate.platform.egress.PinnedClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Where vendor tools may be: https to a public address, or a private host the operator put on
 * {@code tollgate.catalog.vendors.private-allow-list}. Checked when a product is saved and again at every call, which
 * then connects to exactly the address checked ({@link PinnedClient}).
 */
@ApplicationScoped
public class VendorEgress {

    private static final Logger LOG = Logger.getLogger(VendorEgress.class);

    private final EgressPolicy policy;
    private final PinnedClient client;

    @Inject
    public VendorEgress(CatalogConfig config, Vertx vertx) {
        List<String> allowList = config.vendors().privateAllowList().orElse(List.of());
        this.policy = new EgressPolicy(config.vendors().allowLoopbackHttp(), allowList, InetAddress::getAllByName);
        this.client = new PinnedClient(vertx, policy, config.vendors().connectTimeout());
    }

    void close(@Observes ShutdownEvent event) {
        client.close();
    }

    /** Calls a vendor at exactly the address the rules checked. */
    public PinnedClient client() {
        return client;
    }

    void announce(@Observes StartupEvent event, CatalogConfig config) {
        config.vendors().privateAllowList().ifPresent(list -> LOG.infof("vendor tools may be called at private %s",
                list));
    }

    public EgressPolicy policy() {
        return policy;
    }
}
