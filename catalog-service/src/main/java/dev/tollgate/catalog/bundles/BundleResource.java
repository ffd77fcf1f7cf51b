package dev.tollgate.catalog.bundles;

import dev.tollgate.platform.web.Envelope;
import dev.tollgate.platform.web.JsonBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** Admins create bundles; signed-in users and services (the embed widget) read them with their active tools. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class BundleResource {

    public record OneBundle(BundleView bundle) {
    }

    private final BundleService bundles;
    private final JsonBody json;

    public BundleResource(BundleService bundles, JsonBody json) {
        this.bundles = bundles;
        this.json = json;
    }

    @POST
    @Path("admin/bundles")
    @RolesAllowed("admin")
    public Response create(
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BundleRequest.class))) String body) {
        return Response.status(201).entity(answer(bundles.create(bundles.read(json.parse(body))))).build();
    }

    @GET
    @Path("bundles/{id}")
    @RolesAllowed({ "user", "service", "admin" })
    public Envelope<OneBundle> get(@PathParam("id") String id) {
        return answer(bundles.find(id));
    }

    private Envelope<OneBundle> answer(Bundle b) {
        return Envelope.of(new OneBundle(bundles.view(b)));
    }
}
