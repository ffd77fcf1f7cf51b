package dev.tollgate.gateway.embed;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.security.ServiceTokens;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * What the embed pages ask catalog-service, as the gateway (role {@code service}). A 200 carries an
 * {@code Envelope} of {@link ProductFound} or {@link BundleFound} (only the fields a page shows are read; catalog
 * writes more); a 404 names {@code product_not_found} or {@code bundle_not_found}. The status decides, so the calls
 * answer the response itself ({@link EmbedLookups} reads it).
 */
@RegisterRestClient(configKey = "embed-catalog")
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Authorization", value = "{bearer}")
public interface CatalogLookupClient {

    /** {@code data} of a product look-up. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ProductFound(Product product) {
    }

    /** A product as catalog's internal API gives it: {@code action_schemas} are its actions with their schemas. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Product(String productId, String name, String displayName, String description, String status,
            Long priceCredits, List<Action> actionSchemas) {
    }

    /** One action of a tool, with its parameters' JSON schema as a tree. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Action(String name, String description, JsonNode parametersSchema) {
    }

    /** {@code data} of a bundle look-up. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record BundleFound(Bundle bundle) {
    }

    /** A bundle: its active tools (as {@code /products/fetch} shows them) and its workflow ids. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Bundle(String bundleId, String name, String description, List<String> workflowIds, List<Tool> tools) {
    }

    /** A tool of a bundle; the fields a product declared besides the contract's are not read. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Tool(String productId, String name, String displayName, String description, Long priceCredits,
            List<Action> actions) {
    }

    default String bearer() {
        return CDI.current().select(ServiceTokens.class).get().bearer();
    }

    /** A product by ObjectId, slug or name, with its price and each action's parameter schema. */
    @GET
    @Path("/internal/products/{ref}")
    Response product(@PathParam("ref") String ref);

    /** A bundle, with its active tools and its workflow ids. */
    @GET
    @Path("/bundles/{id}")
    Response bundle(@PathParam("id") String id);
}
