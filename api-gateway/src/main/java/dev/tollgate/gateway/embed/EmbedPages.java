package dev.tollgate.gateway.embed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.embed.EmbedLookups.LookupUnavailable;
import io.quarkus.qute.RawString;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * The embed widget's documents: the loader script, and the HTML page for a workflow, bundle or product, or the HTML
 * error page that replaces it (400 malformed id, 404 unknown, 503 a service it needs is not answering, 500). Every
 * HTML answer carries {@link #SECURITY_HEADERS}.
 */
@ApplicationScoped
public class EmbedPages {

    private static final Logger LOG = Logger.getLogger(EmbedPages.class);

    /**
     * Everything from the gateway itself, nothing inline (the configuration travels as inert JSON, scripts and
     * styles are files), and any site may frame the page: being framed by strangers is its purpose. Clicks inside
     * the frame stay safe because the page asks for the end user's own API key and acts only with it.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors *";

    public static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            // Names and prices change; the page is small, so browsers revalidate instead of showing stale ones.
            "Cache-Control", "no-cache");

    /** Short, so a fixed loader reaches host pages within minutes, long enough to spare every page view a fetch. */
    static final String LOADER_CACHE_CONTROL = "public, max-age=300";

    static final String HTML = "text/html; charset=utf-8";
    static final String JAVASCRIPT = "text/javascript; charset=utf-8";

    private final EmbedLookups lookups;
    private final ObjectMapper json;

    private volatile byte[] loader;

    public EmbedPages(EmbedLookups lookups, ObjectMapper json) {
        this.lookups = lookups;
        this.json = json;
    }

    /**
     * {@code /embed.js}, for any host page: readable cross-origin (a host may load it with {@code crossorigin} or
     * fetch it for subresource integrity) and never blocked by a cross-origin resource policy.
     */
    public Response loader() {
        return Response.ok(loaderBytes(), JAVASCRIPT)
                .header("Access-Control-Allow-Origin", "*")
                .header("Cross-Origin-Resource-Policy", "cross-origin")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", LOADER_CACHE_CONTROL)
                .build();
    }

    public Response workflow(String workflowId, String pathBelowRoot) {
        String base = assetBase(pathBelowRoot);
        if (!EmbedIds.isObjectId(workflowId)) {
            return malformed("workflow", base);
        }
        return page(base, () -> lookups.workflow(workflowId).map(w -> new EmbedTemplates.Page("workflow",
                w.name(), w.description(), config(PageConfig.of(w)), base)),
                () -> notFound("This chat does not exist",
                        "The workflow this chat belongs to was not found. It may have been removed.", base));
    }

    public Response bundle(String bundleId, String pathBelowRoot) {
        String base = assetBase(pathBelowRoot);
        if (!EmbedIds.isObjectId(bundleId)) {
            return malformed("bundle", base);
        }
        return page(base, () -> lookups.bundle(bundleId).map(b -> new EmbedTemplates.Page("bundle",
                b.name(), b.description(), config(PageConfig.of(b)), base)),
                () -> notFound("This collection does not exist",
                        "The bundle of tools and workflows this page belongs to was not found. It may have been removed.",
                        base));
    }

    public Response product(String productReference, String pathBelowRoot) {
        String base = assetBase(pathBelowRoot);
        if (!EmbedIds.isProductReference(productReference)) {
            return malformed("product", base);
        }
        return page(base, () -> lookups.product(productReference).map(p -> new EmbedTemplates.Page("product",
                p.title(), p.description(), config(PageConfig.of(p)), base)),
                () -> notFound("This tool is not available",
                        "The tool this page offers was not found, or it is no longer offered.", base));
    }

    /** Any other path under {@code /embed/}: a page, not the framework's bare 404. */
    public Response unknownPath(String pathBelowRoot) {
        return notFound("Page not found", "There is no embed page at this address.", assetBase(pathBelowRoot));
    }

    private Response page(String base, Supplier<Optional<EmbedTemplates.Page>> lookup,
            Supplier<Response> whenMissing) {
        try {
            Optional<EmbedTemplates.Page> page = lookup.get();
            if (page.isEmpty()) {
                return whenMissing.get();
            }
            return html(200, EmbedTemplates.page(page.get()).render()).build();
        } catch (LookupUnavailable e) {
            LOG.warnf("embed page unavailable: %s", e.getMessage());
            return html(503, EmbedTemplates.problem(new EmbedTemplates.Problem(503, "Temporarily unavailable",
                    "This page cannot load right now because a service it needs is not answering. "
                            + "Please try again in a moment.", true, base)).render())
                    .header("Retry-After", "10").build();
        } catch (RuntimeException e) {
            LOG.error("embed page failed", e);
            return html(500, EmbedTemplates.problem(new EmbedTemplates.Problem(500, "Something went wrong",
                    "This page could not be shown. Please try again later.", true, base)).render()).build();
        }
    }

    private Response malformed(String kind, String base) {
        return html(400, EmbedTemplates.problem(new EmbedTemplates.Problem(400, "This link is not valid",
                "The " + kind + " id in this page's address is malformed. If you embedded this page, check the id "
                        + "in the embed code.", false, base)).render()).build();
    }

    private Response notFound(String title, String message, String base) {
        return html(404, EmbedTemplates.problem(new EmbedTemplates.Problem(404, title, message, false, base)).render())
                .build();
    }

    private static Response.ResponseBuilder html(int status, String body) {
        Response.ResponseBuilder builder = Response.status(status).type(HTML).entity(body);
        SECURITY_HEADERS.forEach(builder::header);
        return builder;
    }

    private RawString config(PageConfig config) {
        return ScriptJson.of(config, json);
    }

    /**
     * The relative way from a page to the gateway's root, from the raw path below that root: {@code embed/x} →
     * {@code ../}, {@code embed/bundle/x} → {@code ../../}. Relative, so assets and API calls still resolve when
     * the gateway is served under a path prefix.
     */
    static String assetBase(String pathBelowRoot) {
        long slashes = pathBelowRoot == null ? 1 : pathBelowRoot.chars().filter(c -> c == '/').count();
        return "../".repeat((int) Math.max(1, slashes));
    }

    private byte[] loaderBytes() {
        byte[] bytes = loader;
        if (bytes == null) {
            try (InputStream in = EmbedPages.class.getResourceAsStream("/embed/embed.js")) {
                if (in == null) {
                    throw new IllegalStateException("embed/embed.js is missing from the gateway's resources");
                }
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            loader = bytes;
        }
        return bytes;
    }
}
