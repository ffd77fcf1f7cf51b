package dev.tollgate.catalog.tools;

import java.io.IOException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.catalog.config.CatalogConfig;
import dev.tollgate.platform.egress.EgressRefused;
import dev.tollgate.platform.egress.PinnedClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Calls a vendor's endpoint: POST {@code {"action","parameters","order_id","instance_id"}} with a short-lived RS256
 * token (audience = the product id) that the vendor verifies with {@code /public/jwt-public-key}. Only where the
 * egress rules allow ({@link VendorEgress}); redirects are not followed; a timeout, a non-2xx answer or a body that is not JSON is a failure (the caller is not charged).
 */
@ApplicationScoped
public class VendorTools {

    /** What a vendor receives; {@code instance_id} is null (not absent) when the call has none. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record VendorCall(String action, JsonNode parameters, String orderId, String instanceId) {
    }

    private final VendorTokens tokens;
    private final CatalogConfig config;
    private final ObjectMapper json;
    private final VendorEgress egress;

    public VendorTools(VendorTokens tokens, CatalogConfig config, ObjectMapper json, VendorEgress egress) {
        this.tokens = tokens;
        this.config = config;
        this.json = json;
        this.egress = egress;
    }

    public JsonNode invoke(String url, ToolCall call) throws ToolFailure {
        String body = body(new VendorCall(call.action(), call.parameters(), call.orderId(), call.instanceId()));
        String token = tokens.forVendor(call.productId(), call.userId(), call.orderId(), config.vendors().tokenTtl());
        PinnedClient.Answer answer;
        try {
            // Checked again at every call (the endpoint's name may resolve elsewhere now than when it was saved, and a
            // product saved before a rule tightened meets it here), and connected to exactly the address checked.
            answer = egress.client().post(url, Map.of("Authorization", "Bearer " + token,
                    "Content-Type", "application/json"), body, config.vendors().totalTimeout());
        } catch (EgressRefused refused) {
            throw new ToolFailure("vendor_blocked", "The vendor endpoint " + refused.reason());
        } catch (UnknownHostException e) {
            throw new ToolFailure("vendor_unreachable", "The vendor's host name does not resolve");
        } catch (HttpTimeoutException e) {
            throw new ToolFailure("vendor_timeout", "The vendor did not answer within "
                    + config.vendors().totalTimeout().toSeconds() + " s");
        } catch (IOException e) {
            throw new ToolFailure("vendor_unreachable", "The vendor could not be reached");
        }
        if (answer.status() < 200 || answer.status() > 299) {
            throw new ToolFailure("vendor_error", "The vendor answered " + answer.status());
        }
        try {
            return json.readTree(answer.body());
        } catch (IOException e) {
            throw new ToolFailure("vendor_error", "The vendor's answer is not JSON");
        }
    }

    private String body(VendorCall call) {
        try {
            return json.writeValueAsString(call);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a vendor call could not be written as JSON", e);
        }
    }
}
