package dev.tollgate.catalog.products;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.platform.web.Envelope;
import dev.tollgate.platform.web.JsonBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** Admin API for the tool catalog: create, replace, retire, list. */
@Path("/admin/products")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class ProductAdminResource {

    public record OneProduct(ProductAdminView product) {
    }

    public record Products(List<ProductAdminView> products) {
    }

    private final ProductService catalog;
    private final JsonBody json;
    private final ObjectMapper mapper;

    public ProductAdminResource(ProductService catalog, JsonBody json, ObjectMapper mapper) {
        this.catalog = catalog;
        this.json = json;
        this.mapper = mapper;
    }

    @POST
    public Response create(
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ProductRequest.class))) String body) {
        return Response.status(201).entity(answer(catalog.create(json.parse(body)))).build();
    }

    @PUT
    @Path("/{id}")
    public Envelope<OneProduct> replace(@PathParam("id") String id,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ProductRequest.class))) String body) {
        return answer(catalog.replace(id, json.parse(body)));
    }

    /** Retired products disappear from fetch and cannot be bought; orders and reports keep referring to them. */
    @POST
    @Path("/{id}/retire")
    public Envelope<OneProduct> retire(@PathParam("id") String id) {
        return answer(catalog.retire(id));
    }

    @GET
    @Path("/{id}")
    public Envelope<OneProduct> get(@PathParam("id") String id) {
        return answer(catalog.find(id));
    }

    @GET
    public Envelope<Products> list(@QueryParam("status") String status) {
        return Envelope.of(new Products(catalog.list(status).stream().map(p -> ProductAdminView.of(p, mapper)).toList()));
    }

    private Envelope<OneProduct> answer(Product p) {
        return Envelope.of(new OneProduct(ProductAdminView.of(p, mapper)));
    }
}
