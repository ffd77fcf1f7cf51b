package dev.tollgate.gateway.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import au.com.dius.pact.consumer.dsl.PactDslWithProvider;
import au.com.dius.pact.core.model.RequestResponsePact;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.InternalCalls;
import jakarta.ws.rs.core.Response;

/** Names and examples the gateway's pacts share: participants, provider states, example ids. */
final class GatewayContracts {

    static final String GATEWAY = "api-gateway";
    static final String CATALOG = "catalog-service";
    static final String WORKFLOW = "workflow-service";

    static final String LIVE_API_KEY = "an API key is live for a user with the user role";
    static final String ACTIVE_PRODUCT = "an active product with an action";
    static final String BUNDLE = "a bundle with an active product and a workflow";
    static final String WORKFLOW_EXISTS = "a workflow with a name and a description";

    static final String EXAMPLE_PRODUCT_ID = "65f0000000000000000000d1";
    static final String EXAMPLE_BUNDLE_ID = "65f0000000000000000000e1";
    static final String EXAMPLE_WORKFLOW_ID = "65f0000000000000000000f1";

    private GatewayContracts() {
    }

    /** An embed look-up of something that does not exist: 404 with the code the page takes for "no such thing". */
    static RequestResponsePact notFound(PactDslWithProvider builder, String state, String description, String path,
            String code) {
        return builder.given(state).uponReceiving(description)
                .method("GET").path(path)
                .matchHeader("Authorization", InternalCalls.BEARER, InternalCalls.EXAMPLE_BEARER)
                .willRespondWith().matchHeader("Content-Type", InternalCalls.JSON_TYPE, "application/json")
                .status(404).body(new PactDslJsonBody().stringValue("error", code))
                .toPact();
    }

    /** Only a 404 with the code is "no such thing"; a bare 404 is an outage to the page (EmbedLookups). */
    static void assertNotFound(Response answer, String code) {
        assertEquals(404, answer.getStatus());
        JsonNode body = answer.readEntity(JsonNode.class);
        assertEquals(code, body.path("error").asText());
    }
}
