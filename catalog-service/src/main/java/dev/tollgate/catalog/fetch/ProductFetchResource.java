package dev.tollgate.catalog.fetch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.budgets.Budget;
import dev.tollgate.catalog.budgets.BudgetRepository;
import dev.tollgate.catalog.config.CatalogConfig;
import dev.tollgate.catalog.instances.Instances;
import dev.tollgate.catalog.products.Product;
import dev.tollgate.catalog.products.ProductRepository;
import dev.tollgate.catalog.products.ProductViews;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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

    @Inject
    JsonWebToken caller;

    @Inject
    BudgetRepository budgets;

    @Inject
    ProductRepository products;

    @Inject
    dev.tollgate.catalog.budgets.BudgetProducts budgetProducts;

    @Inject
    Instances instances;

    @Inject
    CatalogConfig config;

    @Inject
    ObjectMapper mapper;

    @GET
    @RolesAllowed("user")
    public Map<String, Object> fetch(@QueryParam("page") String page, @QueryParam("page_size") String pageSize,
            @HeaderParam("X-Page") String headerPage, @HeaderParam("X-Page-Size") String headerPageSize,
            @HeaderParam("x-instance-id") String instanceId, @HeaderParam("x-instance-metadata") String metadata,
            @Context UriInfo uri) {
        // "?page=" arrives as no value at all; it is a value, and not a number.
        Paging paging = Paging.of(sent(uri, "page", page), headerPage, sent(uri, "page_size", pageSize), headerPageSize,
                config.fetch().defaultPageSize(), config.fetch().maxPageSize());
        String instance = instances.resolve(caller.getSubject(), instanceId, metadata);
        Budget budget = budgets.findByHexId(caller.getClaim("budget_id"))
                .filter(b -> b.ownerUserId.equals(caller.getSubject())).orElse(null);
        ProductRepository.Page result = budget == null ? new ProductRepository.Page(List.of(), 0)
                : products.page(budgetProducts.activePage(budget.id.toHexString(), paging.page(), paging.pageSize()));

        int pages = paging.totalPages(result.total());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("tools_on_this_page", result.items().size());
        details.put("total_qualified_tools", result.total());
        details.put("page_returned", paging.page());
        details.put("page_size_requested", paging.pageSize());
        details.put("page_source", paging.pageSource());
        details.put("page_size_source", paging.pageSizeSource());
        details.put("total_pages", pages);
        details.put("has_next_page", paging.page() < pages);
        details.put("has_previous_page", paging.page() > 1);

        String base = config.publicBaseUrl();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("instance_id", instance);
        body.put("details", details);
        body.put("preprompt", ToolGuide.preprompt(result.items(), result.total(), base));
        body.put("tools", result.items().stream().map(p -> ProductViews.tool(p, mapper)).toList());
        body.put("pagination", ToolGuide.pagination(paging, result.total()));
        Product first = result.items().isEmpty() ? null : result.items().getFirst();
        body.put("example_tool_call", ToolGuide.exampleCall(first, base, instance, mapper));
        return body;
    }

    private static String sent(UriInfo uri, String name, String value) {
        return value == null && uri.getQueryParameters().containsKey(name) ? "" : value;
    }
}
