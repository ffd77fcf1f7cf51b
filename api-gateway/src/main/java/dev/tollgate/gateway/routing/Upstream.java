package dev.tollgate.gateway.routing;

/** The services behind the gateway. */
public enum Upstream {
    CREDITS, CATALOG, WORKFLOW, CALLBACK
}
