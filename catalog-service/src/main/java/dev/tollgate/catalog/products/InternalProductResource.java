package dev.tollgate.catalog.products;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.platform.web.Envelope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Internal: does this product exist and is it buyable? workflow-service asks when a workflow is saved (it reads the
 * action names); the gateway's embed page asks to build its purchase form (it reads the display name, description,
 * price and each action's parameter schema from {@code action_schemas}).
 */
@Path("/internal/products/{ref}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("service")
public class InternalProductResource {

    public record OneProduct(InternalProductView product) {
    }

    private final ProductService products;
    private final ObjectMapper mapper;

    public InternalProductResource(ProductService products, ObjectMapper mapper) {
        this.products = products;
        this.mapper = mapper;
    }

    @GET
    public Envelope<OneProduct> get(@PathParam("ref") String ref) {
        return Envelope.of(new OneProduct(InternalProductView.of(products.resolve(ref), mapper)));
    }
}
