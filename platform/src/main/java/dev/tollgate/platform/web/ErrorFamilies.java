package dev.tollgate.platform.web;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which error style answers a path: the webhooks family's under the prefixes in
 * {@code tollgate.http.webhooks-shape-paths} ({@code /} for a service whose every path is in that family), the api
 * family's elsewhere. The gateway, whose route table knows each prefix's family, replaces this bean with its own.
 */
@ApplicationScoped
public class ErrorFamilies {

    private final List<String> webhooksShapePaths;

    @Inject
    public ErrorFamilies(@ConfigProperty(name = "tollgate.http.webhooks-shape-paths") Optional<List<String>> prefixes) {
        this.webhooksShapePaths = prefixes.orElse(List.of());
    }

    public ErrorFamily of(String path) {
        return path != null && webhooksShapePaths.stream().anyMatch(path::startsWith)
                ? ErrorFamily.WEBHOOKS : ErrorFamily.API;
    }
}
