package dev.tollgate.catalog.tools;

import java.net.InetAddress;
import java.util.List;

import dev.tollgate.catalog.config.CatalogConfig;
import dev.tollgate.http.egress.EgressPolicy;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Where vendor tools may be: https to a public address, or a private host the operator put on
 * {@code tollgate.catalog.vendors.private-allow-list}. Checked when a product is saved and again at every call.
 */
@ApplicationScoped
public class VendorEgress {

    private static final Logger LOG = Logger.getLogger(VendorEgress.class);

    private final EgressPolicy policy;

    @Inject
    public VendorEgress(CatalogConfig config) {
        List<String> allowList = config.vendors().privateAllowList().orElse(List.of());
        this.policy = new EgressPolicy(config.vendors().allowLoopbackHttp(), allowList, InetAddress::getAllByName);
    }

    void announce(@Observes StartupEvent event, CatalogConfig config) {
        config.vendors().privateAllowList().ifPresent(list -> LOG.infof("vendor tools may be called at private %s",
                list));
    }

    public EgressPolicy policy() {
        return policy;
    }
}
