package dev.tollgate.gateway.routing;

/** Paths under {@code prefix} belong to {@code upstream} and answer errors in {@code family}'s style. */
public record Route(String prefix, Upstream upstream, ErrorFamily family) {

    public boolean matches(String path) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
