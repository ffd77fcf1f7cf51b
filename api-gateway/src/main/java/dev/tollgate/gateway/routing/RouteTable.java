package dev.tollgate.gateway.routing;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.tollgate.platform.web.ErrorFamily;

/**
 * Which service owns which public path. Everything the gateway does not list here is either its own (tokens, keys,
 * health, docs, the embed widget) or not served: in particular no {@code /internal/**} path is reachable from outside.
 * The longest matching prefix wins, so {@code /api/agent-webhooks/signing-secret} goes to callback-service while the
 * rest of {@code /api/agent-webhooks} goes to workflow-service.
 */
public final class RouteTable {

    public static final List<Route> ROUTES = List.of(
            new Route("/credits", Upstream.CREDITS, ErrorFamily.API),
            new Route("/admin/credits", Upstream.CREDITS, ErrorFamily.API),
            new Route("/products", Upstream.CATALOG, ErrorFamily.API),
            new Route("/issues", Upstream.CATALOG, ErrorFamily.API),
            new Route("/bundles", Upstream.CATALOG, ErrorFamily.API),
            new Route("/admin/products", Upstream.CATALOG, ErrorFamily.API),
            new Route("/admin/budgets", Upstream.CATALOG, ErrorFamily.API),
            new Route("/admin/bundles", Upstream.CATALOG, ErrorFamily.API),
            new Route("/admin/issues", Upstream.CATALOG, ErrorFamily.API),
            new Route("/admin/approval-requests", Upstream.CATALOG, ErrorFamily.API),
            new Route("/api/agent-webhooks", Upstream.WORKFLOW, ErrorFamily.WEBHOOKS),
            new Route("/api/agent-webhooks/signing-secret", Upstream.CALLBACK, ErrorFamily.WEBHOOKS),
            new Route("/admin/workflows", Upstream.WORKFLOW, ErrorFamily.WEBHOOKS),
            new Route("/admin/run-limits", Upstream.WORKFLOW, ErrorFamily.WEBHOOKS),
            new Route("/admin/callbacks", Upstream.CALLBACK, ErrorFamily.WEBHOOKS));

    private static final List<Route> LONGEST_FIRST = ROUTES.stream()
            .sorted(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed()).toList();

    private RouteTable() {
    }

    public static Optional<Route> match(String path) {
        if (path == null || path.contains("..") || path.contains("//")) {
            return Optional.empty();
        }
        return LONGEST_FIRST.stream().filter(r -> r.matches(path)).findFirst();
    }

    /**
     * The error style for a path the gateway answers itself: its prefix's family, also for a path never proxied (a
     * dot-dot in a segment), else the api family's.
     */
    public static ErrorFamily familyOf(String path) {
        if (path == null) {
            return ErrorFamily.API;
        }
        return LONGEST_FIRST.stream().filter(r -> r.matches(path)).findFirst().map(Route::family)
                .orElse(ErrorFamily.API);
    }
}
