package dev.tollgate.catalog.fetch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.config.CatalogConfig;
import dev.tollgate.catalog.instances.InstanceService;
import dev.tollgate.catalog.products.Product;
import dev.tollgate.catalog.products.ProductRepository;
import dev.tollgate.catalog.products.ToolView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** {@code GET /products/fetch}: the tools on the caller's budget, a page at a time, with guidance for an LLM. */
@Path("/products/fetch")
@Produces(MediaType.APPLICATION_JSON)
public class ProductFetchResource {

    private final ProductFetchService tools;
    private final InstanceService instances;
    private final CatalogConfig config;
    private final ObjectMapper mapper;
    private final JsonWebToken caller;

    public ProductFetchResource(ProductFetchService tools, InstanceService instances, CatalogConfig config,
            ObjectMapper mapper, JsonWebToken caller) {
        this.tools = tools;
        this.instances = instances;
        this.config = config;
        this.mapper = mapper;
        this.caller = caller;
    }

    @GET
    @RolesAllowed("user")
    public ProductFetchAnswer fetch(@QueryParam("page") String page, @QueryParam("page_size") String pageSize,
            @HeaderParam("X-Page") String headerPage, @HeaderParam("X-Page-Size") String headerPageSize,
            @HeaderParam("x-instance-id") String instanceId, @HeaderParam("x-instance-metadata") String metadata,
            @Context UriInfo uri) {
        // "?page=" arrives as no value at all; it is a value, and not a number.
        Paging paging = Paging.of(sent(uri, "page", page), headerPage, sent(uri, "page_size", pageSize), headerPageSize,
                config.fetch().defaultPageSize(), config.fetch().maxPageSize());
        String instance = instances.resolve(caller.getSubject(), instanceId, metadata);
        ProductRepository.Page result = tools.page(caller.getSubject(), caller.getClaim("budget_id"), paging);

        String base = config.publicBaseUrl();
        Product first = result.items().isEmpty() ? null : result.items().getFirst();
        return new ProductFetchAnswer(true, instance,
                ProductFetchAnswer.Details.of(paging, result.items().size(), result.total()),
                ToolGuide.preprompt(result.items(), result.total(), base),
                result.items().stream().map(p -> ToolView.of(p, mapper)).toList(),
                ProductFetchAnswer.Pagination.of(paging, result.total()),
                ToolGuide.exampleCall(first, base, instance, mapper));
    }

    private static String sent(UriInfo uri, String name, String value) {
        return value == null && uri.getQueryParameters().containsKey(name) ? "" : value;
    }
}
