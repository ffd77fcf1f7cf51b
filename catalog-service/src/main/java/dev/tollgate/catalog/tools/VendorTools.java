package dev.tollgate.catalog.tools;

import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.catalog.config.CatalogConfig;
import dev.tollgate.http.egress.EgressRefused;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Calls a vendor's endpoint: POST {@code {"action","parameters","order_id","instance_id"}} with a short-lived RS256
 * token (audience = the product id) that the vendor verifies with {@code /public/jwt-public-key}. Only where the
 * egress rules allow ({@link VendorEgress}); redirects are not followed; a timeout, a non-2xx answer or a body that is not JSON is a failure (the caller is not charged).
 */
@ApplicationScoped
public class VendorTools {

    @Inject
    VendorTokens tokens;

    @Inject
    CatalogConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    VendorEgress egress;

    private volatile HttpClient http;

    public JsonNode invoke(String url, ToolCall call) throws ToolFailure {
        // Checked again at every call: the endpoint's name may resolve somewhere else now than when it was saved,
        // and a product saved before a rule tightened meets it here. The connection then goes to what was checked
        // as long as the JVM keeps the answer (networkaddress.cache.ttl, 30 s by default).
        try {
            egress.policy().checkAndResolve(url);
        } catch (EgressRefused refused) {
            throw new ToolFailure("vendor_blocked", "The vendor endpoint " + refused.reason());
        } catch (UnknownHostException e) {
            throw new ToolFailure("vendor_unreachable", "The vendor's host name does not resolve");
        }
        ObjectNode body = json.createObjectNode();
        body.put("action", call.action());
        body.set("parameters", call.parameters());
        body.put("order_id", call.orderId());
        body.put("instance_id", call.instanceId());
        String token = tokens.forVendor(call.productId(), call.userId(), call.orderId(), config.vendors().tokenTtl());
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(config.vendors().totalTimeout())
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        try {
            HttpResponse<String> response = client().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() < 200 || response.statusCode() > 299) {
                throw new ToolFailure("vendor_error", "The vendor answered " + response.statusCode());
            }
            try {
                return json.readTree(response.body());
            } catch (IOException e) {
                throw new ToolFailure("vendor_error", "The vendor's answer is not JSON");
            }
        } catch (HttpTimeoutException e) {
            throw new ToolFailure("vendor_timeout", "The vendor did not answer within "
                    + config.vendors().totalTimeout().toSeconds() + " s");
        } catch (IOException e) {
            throw new ToolFailure("vendor_unreachable", "The vendor could not be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailure("interrupted", "The vendor call was interrupted");
        }
    }

    private HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(config.vendors().connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }
}
