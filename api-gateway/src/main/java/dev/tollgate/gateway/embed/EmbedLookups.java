package dev.tollgate.gateway.embed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Looks up what an embed page is about, as the gateway: empty when it does not exist, {@link LookupUnavailable}
 * when the service that knows could not answer. The results hold only what an end user may see (names,
 * descriptions, prices, parameter schemas), in the shape the page's scripts read; never endpoints or credentials.
 */
@ApplicationScoped
public class EmbedLookups {

    /** A bundle names at most this many workflows on its page (each is one look-up). */
    static final int MAX_BUNDLE_WORKFLOWS = 50;

    @Inject
    @RestClient
    CatalogLookupClient catalog;

    @Inject
    @RestClient
    WorkflowLookupClient workflows;

    @Inject
    ObjectMapper json;

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

    public Optional<Map<String, Object>> workflow(String workflowId) {
        return fetch("workflow-service", "workflow_not_found", () -> workflows.workflow(workflowId)).map(body -> {
            JsonNode w = body.at("/data/workflow");
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("workflow_id", w.path("workflow_id").asText(workflowId));
            view.put("name", w.path("name").asText(""));
            view.put("description", text(w.get("description")));
            return view;
        });
    }

    /** An active product; a retired one is as good as gone for a page that would sell it. */
    public Optional<Map<String, Object>> product(String reference) {
        return fetch("catalog-service", "product_not_found", () -> catalog.product(reference))
                .map(body -> body.at("/data/product"))
                .filter(p -> "active".equals(p.path("status").asText("active")))
                .map(p -> product(p, p.path("action_schemas")));
    }

    /** A bundle with its active tools and the workflows of it that still exist. */
    public Optional<Map<String, Object>> bundle(String bundleId) {
        return fetch("catalog-service", "bundle_not_found", () -> catalog.bundle(bundleId)).map(body -> {
            JsonNode b = body.at("/data/bundle");
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("bundle_id", b.path("bundle_id").asText(bundleId));
            view.put("name", b.path("name").asText(""));
            view.put("description", text(b.get("description")));
            List<Map<String, Object>> workflowViews = new ArrayList<>();
            int asked = 0;
            for (JsonNode id : b.path("workflow_ids")) {
                if (asked++ == MAX_BUNDLE_WORKFLOWS) {
                    break;
                }
                // A workflow deleted since the bundle was made is left out rather than offered and failing later.
                workflow(id.asText()).ifPresent(workflowViews::add);
            }
            view.put("workflows", workflowViews);
            List<Map<String, Object>> tools = new ArrayList<>();
            b.path("tools").forEach(t -> tools.add(product(t, t.path("actions"))));
            view.put("products", tools);
            return view;
        });
    }

    private Map<String, Object> product(JsonNode p, JsonNode actions) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("product_id", p.path("product_id").asText());
        view.put("name", p.path("name").asText(""));
        view.put("display_name", text(p.get("display_name")));
        view.put("description", text(p.get("description")));
        view.put("price_credits", p.path("price_credits").asLong(0));
        List<Map<String, Object>> actionViews = new ArrayList<>();
        for (JsonNode a : actions) {
            Map<String, Object> action = new LinkedHashMap<>();
            action.put("name", a.path("name").asText());
            action.put("description", text(a.get("description")));
            action.put("parameters_schema", a.get("parameters_schema"));
            actionViews.add(action);
        }
        view.put("actions", actionViews);
        return view;
    }

    /**
     * The answer's body when it is a 200, empty on a 404 that says {@code notFoundCode}; anything else means the
     * service cannot help now. A bare 404 (a service too old to have the endpoint, a wrong URL) is not taken as "no
     * such thing": the page would then tell end users a working link is dead.
     */
    private Optional<JsonNode> fetch(String service, String notFoundCode, Supplier<Response> call) {
        try (Response response = answer(service, call)) {
            String body = response.readEntity(String.class);
            if (response.getStatus() == 404 && notFoundCode.equals(errorCode(body))) {
                return Optional.empty();
            }
            if (response.getStatus() != 200) {
                throw new LookupUnavailable(service, "answered HTTP " + response.getStatus(), null);
            }
            return Optional.of(json.readTree(body));
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
            return body == null || body.isBlank() ? null : json.readTree(body).path("error").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
