package dev.tollgate.gateway.embed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.embed.CatalogLookupClient.Action;
import dev.tollgate.gateway.embed.CatalogLookupClient.Bundle;
import dev.tollgate.gateway.embed.CatalogLookupClient.BundleFound;
import dev.tollgate.gateway.embed.CatalogLookupClient.Product;
import dev.tollgate.gateway.embed.CatalogLookupClient.ProductFound;
import dev.tollgate.gateway.embed.CatalogLookupClient.Tool;
import dev.tollgate.gateway.embed.WorkflowLookupClient.Workflow;
import dev.tollgate.gateway.embed.WorkflowLookupClient.WorkflowFound;
import dev.tollgate.platform.web.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Looks up what an embed page is about, as the gateway: empty when it does not exist, {@link LookupUnavailable}
 * when the service that knows could not answer. The results hold only what an end user may see (names,
 * descriptions, prices, parameter schemas), in the shape the page's scripts read; never endpoints or credentials.
 * A field the service leaves out reads as it did when answers were read as trees: an empty name, the id asked for,
 * no actions, a price of 0, an {@code active} status.
 */
@ApplicationScoped
public class EmbedLookups {

    /** A bundle names at most this many workflows on its page (each is one look-up). */
    static final int MAX_BUNDLE_WORKFLOWS = 50;

    private static final Workflow NO_WORKFLOW = new Workflow(null, null, null);
    private static final Product NO_PRODUCT = new Product(null, null, null, null, null, null, null);
    private static final Bundle NO_BUNDLE = new Bundle(null, null, null, null, null);

    private final CatalogLookupClient catalog;
    private final WorkflowLookupClient workflows;
    private final ObjectMapper json;

    public EmbedLookups(@RestClient CatalogLookupClient catalog, @RestClient WorkflowLookupClient workflows,
            ObjectMapper json) {
        this.catalog = catalog;
        this.workflows = workflows;
        this.json = json;
    }

    /** The service that knows did not answer usably (down, too slow, or an unexpected status). */
    public static final class LookupUnavailable extends RuntimeException {
        private final String service;

        LookupUnavailable(String service, String reason, Throwable cause) {
            super(service + ": " + reason, cause);
            this.service = service;
        }

        public String service() {
            return service;
        }
    }

    /** What a refusal says: its {@code error} code, if it is one of the contract's error bodies. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Refusal(Object error) {
    }

    public Optional<WorkflowPage> workflow(String workflowId) {
        return fetch("workflow-service", "workflow_not_found", () -> workflows.workflow(workflowId), WorkflowFound.class,
                new WorkflowFound(null))
                .map(found -> {
                    Workflow w = found.workflow() == null ? NO_WORKFLOW : found.workflow();
                    return new WorkflowPage(Objects.requireNonNullElse(w.workflowId(), workflowId),
                            Objects.requireNonNullElse(w.name(), ""), w.description());
                });
    }

    /** An active product; a retired one is as good as gone for a page that would sell it. */
    public Optional<ProductPage> product(String reference) {
        return fetch("catalog-service", "product_not_found", () -> catalog.product(reference), ProductFound.class,
                new ProductFound(null))
                .map(found -> found.product() == null ? NO_PRODUCT : found.product())
                .filter(p -> p.status() == null || "active".equals(p.status()))
                .map(p -> page(p.productId(), p.name(), p.displayName(), p.description(), p.priceCredits(),
                        p.actionSchemas()));
    }

    /** A bundle with its active tools and the workflows of it that still exist. */
    public Optional<BundlePage> bundle(String bundleId) {
        return fetch("catalog-service", "bundle_not_found", () -> catalog.bundle(bundleId), BundleFound.class,
                new BundleFound(null))
                .map(found -> {
                    Bundle b = found.bundle() == null ? NO_BUNDLE : found.bundle();
                    List<WorkflowPage> workflowPages = new ArrayList<>();
                    int asked = 0;
                    for (String id : Objects.requireNonNullElse(b.workflowIds(), List.<String>of())) {
                        if (asked++ == MAX_BUNDLE_WORKFLOWS) {
                            break;
                        }
                        // A workflow deleted since the bundle was made is left out rather than offered and failing later.
                        workflow(id).ifPresent(workflowPages::add);
                    }
                    List<ProductPage> tools = Objects.requireNonNullElse(b.tools(), List.<Tool>of()).stream()
                            .map(t -> page(t.productId(), t.name(), t.displayName(), t.description(), t.priceCredits(),
                                    t.actions()))
                            .toList();
                    return new BundlePage(Objects.requireNonNullElse(b.bundleId(), bundleId),
                            Objects.requireNonNullElse(b.name(), ""), b.description(), workflowPages, tools);
                });
    }

    private static ProductPage page(String productId, String name, String displayName, String description,
            Long priceCredits, List<Action> actions) {
        return new ProductPage(Objects.requireNonNullElse(productId, ""), Objects.requireNonNullElse(name, ""),
                displayName, description, priceCredits == null ? 0 : priceCredits,
                Objects.requireNonNullElse(actions, List.<Action>of()).stream()
                        .map(a -> new ProductPage.ActionForm(Objects.requireNonNullElse(a.name(), ""), a.description(),
                                a.parametersSchema()))
                        .toList());
    }

    /**
     * The answer's {@code data} when it is a 200, empty on a 404 that says {@code notFoundCode}; anything else means
     * the service cannot help now. A bare 404 (a service too old to have the endpoint, a wrong URL) is not taken as
     * "no such thing": the page would then tell end users a working link is dead. The body is read as text first:
     * the answer's media type is not trusted. {@code none}: what an answer without {@code data} reads as.
     */
    private <T> Optional<T> fetch(String service, String notFoundCode, Supplier<Response> call, Class<T> data,
            T none) {
        try (Response response = answer(service, call)) {
            String body = response.readEntity(String.class);
            if (response.getStatus() == 404 && notFoundCode.equals(errorCode(body))) {
                return Optional.empty();
            }
            if (response.getStatus() != 200) {
                throw new LookupUnavailable(service, "answered HTTP " + response.getStatus(), null);
            }
            JavaType envelope = json.getTypeFactory().constructParametricType(Envelope.class, data);
            Envelope<T> found = json.readValue(body, envelope);
            return Optional.of(found == null || found.data() == null ? none : found.data());
        } catch (IOException | ProcessingException e) {
            throw new LookupUnavailable(service, "an unreadable answer (" + e.getMessage() + ")", e);
        }
    }

    private static Response answer(String service, Supplier<Response> call) {
        try {
            return call.get();
        } catch (WebApplicationException e) {
            // Only when the REST client's default exception mapper is on: the status is what matters.
            return e.getResponse();
        } catch (ProcessingException e) {
            throw new LookupUnavailable(service, "no answer (" + e.getMessage() + ")", e);
        }
    }

    private String errorCode(String body) {
        try {
            Refusal refusal = body == null || body.isBlank() ? null : json.readValue(body, Refusal.class);
            return refusal == null || !(refusal.error() instanceof String code) ? null : code;
        } catch (IOException e) {
            return null;
        }
    }
}
