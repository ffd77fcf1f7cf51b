package dev.tollgate.gateway.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import au.com.dius.pact.consumer.MockServer;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import au.com.dius.pact.consumer.dsl.PactDslJsonRootValue;
import au.com.dius.pact.consumer.dsl.PactDslWithProvider;
import au.com.dius.pact.consumer.junit5.PactConsumerTestExt;
import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.core.model.PactSpecVersion;
import au.com.dius.pact.core.model.RequestResponsePact;
import au.com.dius.pact.core.model.annotations.Pact;
import au.com.dius.pact.core.model.annotations.PactDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.contracts.CommittedPacts;
import dev.tollgate.contracts.InternalCalls;
import dev.tollgate.gateway.auth.ApiKeyClient;
import dev.tollgate.gateway.embed.CatalogLookupClient;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the gateway asks catalog-service and what it reads in the answers: the API-key exchange behind
 * {@code POST /auth/token} (the key holder's user, budget and roles; 401 for a key that is not live) and the embed
 * pages' look-ups (a product's price and action schemas, a bundle's tools and workflows; 404 with the error code the
 * pages take for "no such thing"). The calls go through the gateway's own REST client interfaces, bearer included.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@ExtendWith(CommittedPacts.class)
@ExtendWith(PactConsumerTestExt.class)
@PactTestFor(providerName = GatewayContracts.CATALOG, pactVersion = PactSpecVersion.V3)
@PactDirectory(CommittedPacts.WRITTEN)
class CatalogServiceConsumerPactTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIVE_KEY = "tg_" + "k".repeat(43);
    private static final String UNKNOWN_KEY = "tg_not-a-live-key";
    private static final String UNKNOWN_BUNDLE = "000000000000000000000000";

    @Pact(consumer = GatewayContracts.GATEWAY)
    RequestResponsePact liveApiKey(PactDslWithProvider builder) {
        return InternalCalls.answers(builder
                .given(GatewayContracts.LIVE_API_KEY)
                .uponReceiving("the exchange of a live API key")
                .method("POST").path("/internal/api-keys/verify")
                .matchHeader("Authorization", InternalCalls.BEARER, InternalCalls.EXAMPLE_BEARER)
                .matchHeader("Content-Type", InternalCalls.JSON_TYPE, "application/json")
                .body(new PactDslJsonBody().valueFromProviderState("api_key", "${apiKey}", LIVE_KEY)),
                200, new PactDslJsonBody().booleanValue("success", true).object("data")
                        .stringType("user_id", "pact-user")
                        .stringType("budget_id", "65f0000000000000000000b1")
                        .eachLike("roles", PactDslJsonRootValue.stringType("user"), 1)
                        .stringType("key_id", "65f0000000000000000000a1")
                        .closeObject());
    }

    @Test
    @PactTestFor(pactMethod = "liveApiKey")
    void aLiveKeyNamesItsUserBudgetAndRoles(MockServer catalog) throws Exception {
        try (Response answer = InternalCalls.client(catalog, ApiKeyClient.class).verify(new ApiKeyClient.PresentedKey(LIVE_KEY))) {
            assertEquals(200, answer.getStatus());
            JsonNode holder = JSON.readTree(answer.readEntity(String.class)).path("data");
            assertEquals("pact-user", holder.path("user_id").asText());
            assertEquals("65f0000000000000000000b1", holder.path("budget_id").asText());
            assertEquals("user", holder.path("roles").path(0).asText());
        }
    }

    @Pact(consumer = GatewayContracts.GATEWAY)
    RequestResponsePact unknownApiKey(PactDslWithProvider builder) {
        return InternalCalls.answers(builder
                .given("no API key is live")
                .uponReceiving("the exchange of an unknown API key")
                .method("POST").path("/internal/api-keys/verify")
                .matchHeader("Authorization", InternalCalls.BEARER, InternalCalls.EXAMPLE_BEARER)
                .matchHeader("Content-Type", InternalCalls.JSON_TYPE, "application/json")
                .body(new PactDslJsonBody().stringValue("api_key", UNKNOWN_KEY)),
                401, new PactDslJsonBody().stringType("detail", "Invalid API key").stringValue("error", "invalid_api_key"));
    }

    @Test
    @PactTestFor(pactMethod = "unknownApiKey")
    void anUnknownKeyIs401(MockServer catalog) {
        try (Response answer = InternalCalls.client(catalog, ApiKeyClient.class).verify(new ApiKeyClient.PresentedKey(UNKNOWN_KEY))) {
            assertEquals(401, answer.getStatus()); // the gateway answers invalid_api_key on 401, 404 and 422
        }
    }

    @Pact(consumer = GatewayContracts.GATEWAY)
    RequestResponsePact activeProduct(PactDslWithProvider builder) {
        return InternalCalls.answers(builder
                .given(GatewayContracts.ACTIVE_PRODUCT)
                .uponReceiving("the embed page's look-up of a product")
                .method("GET").pathFromProviderState("/internal/products/${productId}",
                        "/internal/products/" + GatewayContracts.EXAMPLE_PRODUCT_ID)
                .matchHeader("Authorization", InternalCalls.BEARER, InternalCalls.EXAMPLE_BEARER),
                200, new PactDslJsonBody().booleanValue("success", true).object("data").object("product")
                        .stringType("product_id", GatewayContracts.EXAMPLE_PRODUCT_ID)
                        .stringType("name", "text_stats")
                        .stringType("display_name", "Text statistics")
                        .stringType("description", "Counts words")
                        .stringValue("status", "active")
                        .integerType("price_credits", 5L)
                        .eachLike("action_schemas")
                        .stringType("name", "analyze")
                        .stringType("description", "Counts words and sentences")
                        .object("parameters_schema").stringValue("type", "object").closeObject()
                        .closeArray()
                        .closeObject().closeObject());
    }

    @Test
    @PactTestFor(pactMethod = "activeProduct")
    void aProductCarriesWhatItsPurchaseFormShows(MockServer catalog) throws Exception {
        try (Response answer = InternalCalls.client(catalog, CatalogLookupClient.class).product(GatewayContracts.EXAMPLE_PRODUCT_ID)) {
            assertEquals(200, answer.getStatus());
            JsonNode product = JSON.readTree(answer.readEntity(String.class)).at("/data/product");
            assertEquals("active", product.path("status").asText());
            assertEquals(5, product.path("price_credits").asLong());
            assertEquals("object", product.at("/action_schemas/0/parameters_schema/type").asText());
        }
    }

    @Pact(consumer = GatewayContracts.GATEWAY)
    RequestResponsePact unknownProduct(PactDslWithProvider builder) {
        return GatewayContracts.notFound(builder, "no product is called no-such-product", "the embed page's look-up of an unknown product",
                "/internal/products/no-such-product", "product_not_found");
    }

    @Test
    @PactTestFor(pactMethod = "unknownProduct")
    void anUnknownProductIs404ProductNotFound(MockServer catalog) {
        try (Response answer = InternalCalls.client(catalog, CatalogLookupClient.class).product("no-such-product")) {
            GatewayContracts.assertNotFound(answer, "product_not_found");
        }
    }

    @Pact(consumer = GatewayContracts.GATEWAY)
    RequestResponsePact bundle(PactDslWithProvider builder) {
        return InternalCalls.answers(builder
                .given(GatewayContracts.BUNDLE)
                .uponReceiving("the embed page's look-up of a bundle")
                .method("GET").pathFromProviderState("/bundles/${bundleId}",
                        "/bundles/" + GatewayContracts.EXAMPLE_BUNDLE_ID)
                .matchHeader("Authorization", InternalCalls.BEARER, InternalCalls.EXAMPLE_BEARER),
                200, new PactDslJsonBody().booleanValue("success", true).object("data").object("bundle")
                        .stringType("bundle_id", GatewayContracts.EXAMPLE_BUNDLE_ID)
                        .stringType("name", "Everything for support")
                        .stringType("description", "Chats and tools")
                        .eachLike("workflow_ids", PactDslJsonRootValue.stringType(GatewayContracts.EXAMPLE_WORKFLOW_ID), 1)
                        .eachLike("tools")
                        .stringType("product_id", GatewayContracts.EXAMPLE_PRODUCT_ID)
                        .stringType("name", "text_stats")
                        .stringType("display_name", "Text statistics")
                        .stringType("description", "Counts words")
                        .integerType("price_credits", 5L)
                        .eachLike("actions")
                        .stringType("name", "analyze")
                        .stringType("description", "Counts words and sentences")
                        .object("parameters_schema").stringValue("type", "object").closeObject()
                        .closeArray()
                        .closeArray()
                        .closeObject().closeObject());
    }

    @Test
    @PactTestFor(pactMethod = "bundle")
    void aBundleCarriesItsToolsAndWorkflows(MockServer catalog) throws Exception {
        try (Response answer = InternalCalls.client(catalog, CatalogLookupClient.class).bundle(GatewayContracts.EXAMPLE_BUNDLE_ID)) {
            assertEquals(200, answer.getStatus());
            JsonNode bundle = JSON.readTree(answer.readEntity(String.class)).at("/data/bundle");
            assertEquals("analyze", bundle.at("/tools/0/actions/0/name").asText());
            assertEquals(GatewayContracts.EXAMPLE_WORKFLOW_ID, bundle.at("/workflow_ids/0").asText());
        }
    }

    @Pact(consumer = GatewayContracts.GATEWAY)
    RequestResponsePact unknownBundle(PactDslWithProvider builder) {
        return GatewayContracts.notFound(builder, "no bundle has the id " + UNKNOWN_BUNDLE, "the embed page's look-up of an unknown bundle",
                "/bundles/" + UNKNOWN_BUNDLE, "bundle_not_found");
    }

    @Test
    @PactTestFor(pactMethod = "unknownBundle")
    void anUnknownBundleIs404BundleNotFound(MockServer catalog) {
        try (Response answer = InternalCalls.client(catalog, CatalogLookupClient.class).bundle(UNKNOWN_BUNDLE)) {
            GatewayContracts.assertNotFound(answer, "bundle_not_found");
        }
    }
}
