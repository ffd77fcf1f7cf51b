package dev.tollgate.gateway.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
    /** Every name this class gives: the document's templates, the routes' prefixes with /**, /q/** and OTHER. */
    private final Set<String> known = new HashSet<>();
    /** Paths longer than this are OTHER at once (request lines reach 64 KiB before the edge refuses them). */
    static final int MAX_NAMED_PATH = 512;
    /** Names already worked out for paths of at most MAX_NAMED_PATH characters, bounded: most ask for the same few. */
    private final Cache<String, String> names = Caffeine.newBuilder().maximumSize(10_000).build();

    PathTemplates(List<String> documentedPaths) {
        this.templates = documentedPaths.stream()
                .map(path -> new Template(path, Pattern.compile(regex(path)), path.chars().filter(c -> c == '{').count()))
                // Literal segments before parameters: /api/agent-webhooks/runs/{runId} is not a workflow's trigger.
                .sorted(Comparator.comparingLong(Template::parameters)).toList();
        templates.forEach(t -> known.add(t.name()));
        RouteTable.ROUTES.forEach(r -> known.add(r.prefix() + "/**"));
        known.add("/q/**");
        known.add(OTHER);
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
            List<String> paths = new ArrayList<>();
            while (m.find()) {
                paths.add(m.group(1));
            }
            return new PathTemplates(paths);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The name of a path a caller sent: its operation's template, its route's prefix and {@code /**}, {@code /q/**},
     * or {@code OTHER}; never the path itself, whatever it holds (braces included).
     */
    public String nameOfPath(String path) {
        if (path == null || path.length() > MAX_NAMED_PATH) {
            return OTHER; // a path that long names no operation; not worth matching, nor keeping
        }
        return names.get(path, this::templateOf);
    }

    /**
     * The name to keep for a {@code uri} tag value that reached a meter: one of the names above, a template of the
     * served document, or Quarkus's own (NOT_FOUND, ...); anything else is treated as a path.
     */
    public String nameOfTag(String uri) {
        if (uri == null || KEPT.contains(uri) || known.contains(uri)) {
            return uri;
        }
        return nameOfPath(uri);
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
