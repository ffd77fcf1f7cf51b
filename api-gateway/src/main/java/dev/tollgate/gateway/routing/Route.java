package dev.tollgate.gateway.routing;

import dev.tollgate.platform.web.ErrorFamily;

/** Paths under {@code prefix} belong to {@code upstream} and answer errors in {@code family}'s style. */
public record Route(String prefix, Upstream upstream, ErrorFamily family) {

    public boolean matches(String path) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
