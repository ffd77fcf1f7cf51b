package dev.tollgate.gateway.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tollgate.gateway.routing.Route;
import dev.tollgate.gateway.routing.RouteTable;

/**
 * What a request's path is called in the gateway's metrics: the template of the public operation it names
 * ({@code /api/agent-webhooks/runs/{runId}}), never the path itself. A proxied request's path reached the
 * {@code uri} tag as sent, with every tenant's run, budget, product and key ids in it, and a caller could fill the
 * tag's hundred values with junk. Templates come from the document the gateway serves ({@code META-INF/openapi.yaml});
 * a path that names no operation is its route's prefix and {@code /**}, or {@code OTHER}.
 */
public final class PathTemplates {

    /** Values Quarkus itself puts in the tag (no path in them), and the gateway's own short addresses. */
    private static final Set<String> KEPT = Set.of("NOT_FOUND", "REDIRECTION", "root", "UNKNOWN", "/docs",
            "/openapi.json", "/openapi.yaml");
    static final String OTHER = "OTHER";

    private record Template(String name, Pattern pattern, long parameters) {
    }

    private final List<Template> templates;
    /** Names already worked out, bounded: every request asks, most for the same few paths. */
    private final com.github.benmanes.caffeine.cache.Cache<String, String> names = com.github.benmanes.caffeine.cache
            .Caffeine.newBuilder().maximumSize(10_000).build();

    PathTemplates(List<String> documentedPaths) {
        this.templates = documentedPaths.stream()
                .map(path -> new Template(path, Pattern.compile(regex(path)), path.chars().filter(c -> c == '{').count()))
                // Literal segments before parameters: /api/agent-webhooks/runs/{runId} is not a workflow's trigger.
                .sorted(Comparator.comparingLong(Template::parameters)).toList();
    }

    /** The templates of every path in the served document. */
    public static PathTemplates fromServedDocument() {
        try (InputStream in = PathTemplates.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("META-INF/openapi.yaml is missing");
            }
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // The document's paths are the keys indented two spaces under "paths:".
            Matcher m = Pattern.compile("(?m)^  (/[^:\\s]*):\\s*$").matcher(yaml);
            List<String> paths = new java.util.ArrayList<>();
            while (m.find()) {
                paths.add(m.group(1));
            }
            return new PathTemplates(paths);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The name of {@code uri} (a path, or a template Quarkus REST already put there) in the metrics. */
    public String nameOf(String uri) {
        // Already a name: Quarkus's, a template, or one of ours (a route's prefix and /**, or OTHER).
        if (uri == null || KEPT.contains(uri) || uri.contains("{") || uri.endsWith("/**") || uri.equals(OTHER)) {
            return uri;
        }
        return names.get(uri, this::templateOf);
    }

    private String templateOf(String uri) {
        for (Template t : templates) {
            if (t.pattern().matcher(uri).matches()) {
                return t.name();
            }
        }
        for (Route route : RouteTable.ROUTES.stream()
                .sorted(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed()).toList()) {
            if (route.matches(uri)) {
                return route.prefix() + "/**";
            }
        }
        return uri.startsWith("/q/") ? "/q/**" : OTHER;
    }

    private static String regex(String template) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("(?=\\{)|(?<=\\})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return regex.toString();
    }
}
