package dev.tollgate.gateway.routing;

import java.util.Locale;

/** The services behind the gateway. */
public enum Upstream {
    CREDITS, CATALOG, WORKFLOW, CALLBACK;

    /** The name the access log and the metrics give the service. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
