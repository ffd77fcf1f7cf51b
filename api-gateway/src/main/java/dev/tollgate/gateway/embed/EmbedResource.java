package dev.tollgate.gateway.embed;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The embeddable chat widget: {@code /embed.js} (the loader a host page includes) and the pages it frames. Public:
 * the end user signs in inside the page with their own API key. No {@code @Produces}: whatever the client accepts,
 * the answer is the HTML page (or the script), never a content-negotiation error in another format.
 */
@Path("/")
public class EmbedResource {

    private final EmbedPages pages;

    public EmbedResource(EmbedPages pages) {
        this.pages = pages;
    }

    @GET
    @Path("embed.js")
    public Response loader() {
        return pages.loader();
    }

    @GET
    @Path("embed/{workflowId}")
    public Response workflow(@PathParam("workflowId") String workflowId, @Context UriInfo uri) {
        return pages.workflow(workflowId, pathBelowRoot(uri));
    }

    @GET
    @Path("embed/bundle/{bundleId}")
    public Response bundle(@PathParam("bundleId") String bundleId, @Context UriInfo uri) {
        return pages.bundle(bundleId, pathBelowRoot(uri));
    }

    @GET
    @Path("embed/product/{productId}")
    public Response product(@PathParam("productId") String productId, @Context UriInfo uri) {
        return pages.product(productId, pathBelowRoot(uri));
    }

    /** Not an API: any deeper path under /embed/ gets the 404 page instead of the framework's bare answer. */
    @GET
    @Path("embed/{first}/{rest: .+}")
    @Operation(hidden = true)
    public Response unknown(@Context UriInfo uri) {
        return pages.unknownPath(pathBelowRoot(uri));
    }

    /** The raw (still encoded) path below the application's root, e.g. {@code embed/bundle/abc}. */
    private static String pathBelowRoot(UriInfo uri) {
        String request = uri.getRequestUri().getRawPath();
        String root = uri.getBaseUri().getRawPath();
        return request.startsWith(root) ? request.substring(root.length()) : request.replaceFirst("^/", "");
    }
}
