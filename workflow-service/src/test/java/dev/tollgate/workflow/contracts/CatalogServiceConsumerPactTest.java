package dev.tollgate.workflow.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import au.com.dius.pact.consumer.MockServer;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import au.com.dius.pact.consumer.dsl.PactDslJsonRootValue;
import au.com.dius.pact.consumer.dsl.PactDslRequestWithPath;
import au.com.dius.pact.consumer.dsl.PactDslWithProvider;
import au.com.dius.pact.consumer.junit5.PactConsumerTestExt;
import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.core.model.PactSpecVersion;
import au.com.dius.pact.core.model.RequestResponsePact;
import au.com.dius.pact.core.model.annotations.Pact;
import au.com.dius.pact.core.model.annotations.PactDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.contracts.CommittedPacts;
import dev.tollgate.contracts.InternalCalls;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.workflow.catalog.AuthorizationQuestion;
import dev.tollgate.workflow.catalog.CatalogClient;
import dev.tollgate.workflow.catalog.CatalogPurchaseClient;
import dev.tollgate.workflow.catalog.StepPurchase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What workflow-service asks catalog-service and what it reads in the answers: may this budget run this workflow
 * (allowed, or the blockers with the approval requests opened; 404 for an unknown budget), does a step's product
 * exist and which actions it has, a budget credential's value (404 when the budget lacks it), and a step's purchase
 * (the tool's answer and the charge; 402 without credit, 403 for a product the budget does not enable). The calls
 * go through the service's own REST client interfaces, bearer included.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@ExtendWith(CommittedPacts.class)
@ExtendWith(PactConsumerTestExt.class)
@PactTestFor(providerName = WorkflowContracts.CATALOG, pactVersion = PactSpecVersion.V3)
@PactDirectory(CommittedPacts.WRITTEN)
class CatalogServiceConsumerPactTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNKNOWN_BUDGET = "000000000000000000000000";

    /** The question as {@code Catalog.authorize} asks it, with the budget and workflow the provider state made. */
    private static PactDslJsonBody authorization() {
        PactDslJsonBody question = new PactDslJsonBody()
                .valueFromProviderState("budget_id", "${budgetId}", WorkflowContracts.EXAMPLE_BUDGET_ID)
                .valueFromProviderState("workflow_id", "${workflowId}", WorkflowContracts.EXAMPLE_WORKFLOW_ID);
        question.array("required_credentials").stringValue("openai_key").closeArray();
        return question;
    }

    private static PactDslRequestWithPath authorizing(PactDslWithProvider builder, String state, String description,
            PactDslJsonBody question) {
        return builder.given(state).uponReceiving(description)
                .method("POST").path("/internal/workflow-authorizations")
                .matchHeader("Authorization", InternalCalls.BEARER, InternalCalls.EXAMPLE_BEARER)
                .matchHeader("Content-Type", InternalCalls.JSON_TYPE, "application/json")
                .body(question);
    }

    private static AuthorizationQuestion question(String budgetId) {
        return new AuthorizationQuestion(budgetId, WorkflowContracts.EXAMPLE_WORKFLOW_ID, List.of("openai_key"));
    }

    @Pact(consumer = WorkflowContracts.WORKFLOW)
    RequestResponsePact allowed(PactDslWithProvider builder) {
        return InternalCalls.answers(authorizing(builder, WorkflowContracts.WORKFLOW_ON_BUDGET,
                "a trigger's authorization of a workflow on the budget", authorization()),
                200, new PactDslJsonBody().booleanValue("success", true).object("data")
                        .booleanValue("allowed", true)
                        .array("blockers").closeArray().asBody()
                        .closeObject());
    }

    @Test
    @PactTestFor(pactMethod = "allowed")
    void aWorkflowOnTheBudgetIsAllowed(MockServer catalog) throws Exception {
        try (Response answer = InternalCalls.client(catalog, CatalogClient.class)
                .authorize(question(WorkflowContracts.EXAMPLE_BUDGET_ID))) {
            assertEquals(200, answer.getStatus());
            assertTrue(body(answer).at("/data/allowed").asBoolean());
        }
    }

    @Pact(consumer = WorkflowContracts.WORKFLOW)
    RequestResponsePact blocked(PactDslWithProvider builder) {
        return InternalCalls.answers(authorizing(builder, WorkflowContracts.WORKFLOW_NOT_ON_BUDGET,
                "a trigger's authorization of a workflow not on the budget, without its credential", authorization()),
                200, new PactDslJsonBody().booleanValue("success", true).object("data")
                        .booleanValue("allowed", false)
                        .array("blockers").stringValue("workflow_not_on_budget").stringValue("missing_credentials")
                        .closeArray().asBody()
                        .stringType("workflow_request_id", "65f0000000000000000000a2")
                        .eachLike("credential_request_ids", PactDslJsonRootValue.stringType("65f0000000000000000000a3"), 1)
                        .object("add_workflow")
                        .stringType("workflow_id", WorkflowContracts.EXAMPLE_WORKFLOW_ID)
                        .stringType("budget_id", WorkflowContracts.EXAMPLE_BUDGET_ID)
                        .closeObject()
                        .minArrayLike("missing_credentials", 1, 1)
                        .stringValue("key", "openai_key")
                        .stringType("description", "Credential openai_key")
                        .closeArray()
                        .closeObject());
    }

    @Test
    @PactTestFor(pactMethod = "blocked")
    void aWorkflowNotOnTheBudgetIsBlockedWithTheApprovalRequestsOpened(MockServer catalog) throws Exception {
        try (Response answer = InternalCalls.client(catalog, CatalogClient.class)
                .authorize(question(WorkflowContracts.EXAMPLE_BUDGET_ID))) {
            assertEquals(200, answer.getStatus());
            JsonNode data = body(answer).path("data");
            assertFalse(data.path("allowed").asBoolean());
            assertEquals("workflow_not_on_budget", data.at("/blockers/0").asText());
            assertEquals("openai_key", data.at("/missing_credentials/0/key").asText());
            assertTrue(data.path("add_workflow").isObject());
        }
    }

    @Pact(consumer = WorkflowContracts.WORKFLOW)
    RequestResponsePact unknownBudget(PactDslWithProvider builder) {
        PactDslJsonBody question = new PactDslJsonBody().stringValue("budget_id", UNKNOWN_BUDGET)
                .stringValue("workflow_id", WorkflowContracts.EXAMPLE_WORKFLOW_ID);
        question.array("required_credentials").stringValue("openai_key").closeArray();
        return InternalCalls.answers(authorizing(builder, "no budget has the id " + UNKNOWN_BUDGET,
                "a trigger's authorization on an unknown budget", question),
                404, new PactDslJsonBody().stringValue("error", "budget_not_found"));
    }

    @Test
    @PactTestFor(pactMethod = "unknownBudget")
    void anUnknownBudgetIs404(MockServer catalog) {
        try (Response answer = InternalCalls.client(catalog, CatalogClient.class).authorize(question(UNKNOWN_BUDGET))) {
            assertEquals(404, answer.getStatus()); // the trigger answers 409 workflow_not_on_budget
        }
    }

    @Pact(consumer = WorkflowContracts.WORKFLOW)
    RequestResponsePact product(PactDslWithProvider builder) {
        return InternalCalls.answers(builder
                .given(WorkflowContracts.ACTIVE_PRODUCT)
                .uponReceiving("a workflow definition's check of a tool step's product")
                .method("GET").pathFromProviderState("/internal/products/${productId}",
                        "/internal/products/" + WorkflowContracts.EXAMPLE_PRODUCT_ID)
                .matchHeader("Authorization", InternalCalls.BEARER, InternalCalls.EXAMPLE_BEARER),
                200, new PactDslJsonBody().booleanValue("success", true).object("data").object("product")
                        .stringType("product_id", WorkflowContracts.EXAMPLE_PRODUCT_ID)
                        .stringValue("status", "active")
                        .eachLike("actions", PactDslJsonRootValue.stringType("analyze"), 1)
                        .closeObject().closeObject());
    }

    @Test
    @PactTestFor(pactMethod = "product")
    void aProductNamesItsStatusAndActions(MockServer catalog) throws Exception {
        try (Response answer = InternalCalls.client(catalog, CatalogClient.class)
                .product(WorkflowContracts.EXAMPLE_PRODUCT_ID)) {
            assertEquals(200, answer.getStatus());
            JsonNode product = body(answer).at("/data/product");
            assertEquals("active", product.path("status").asText());
            assertEquals("analyze", product.at("/actions/0").asText());
        }
    }

    @Pact(consumer = WorkflowContracts.WORKFLOW)
    RequestResponsePact unknownProduct(PactDslWithProvider builder) {
        return InternalCalls.answers(builder
                .given("no product is called no-such-product")
                .uponReceiving("a workflow definition's check of an unknown product")
                .method("GET").path("/internal/products/no-such-product")
                .matchHeader("Authorization", InternalCalls.BEARER, InternalCalls.EXAMPLE_BEARER),
                404, new PactDslJsonBody().stringValue("error", "product_not_found"));
    }

    @Test
    @PactTestFor(pactMethod = "unknownProduct")
    void anUnknownProductIs404(MockServer catalog) {
        try (Response answer = InternalCalls.client(catalog, CatalogClient.class).product("no-such-product")) {
            assertEquals(404, answer.getStatus()); // the definition is refused: unknown product
        }
    }

    @Pact(consumer = WorkflowContracts.WORKFLOW)
    RequestResponsePact credential(PactDslWithProvider builder) {
        return InternalCalls.answers(builder
                .given(WorkflowContracts.CREDENTIAL)
                .uponReceiving("a model step's read of a budget credential")
                .method("GET").pathFromProviderState("/internal/budgets/${budgetId}/credentials/openai_key",
                        "/internal/budgets/" + WorkflowContracts.EXAMPLE_BUDGET_ID + "/credentials/openai_key")
                .matchHeader("Authorization", InternalCalls.BEARER, InternalCalls.EXAMPLE_BEARER),
                200, new PactDslJsonBody().booleanValue("success", true).object("data")
                        .stringValue("key", "openai_key")
                        .stringType("value", "sk-test")
                        .closeObject());
    }

    @Test
    @PactTestFor(pactMethod = "credential")
    void aCredentialIsReadDecrypted(MockServer catalog) throws Exception {
        try (Response answer = InternalCalls.client(catalog, CatalogClient.class)
                .credential(WorkflowContracts.EXAMPLE_BUDGET_ID, "openai_key")) {
            assertEquals(200, answer.getStatus());
            assertEquals("sk-test", body(answer).at("/data/value").asText());
        }
    }

    @Pact(consumer = WorkflowContracts.WORKFLOW)
    RequestResponsePact missingCredential(PactDslWithProvider builder) {
        return InternalCalls.answers(builder
                .given(WorkflowContracts.NO_CREDENTIAL)
                .uponReceiving("a model step's read of a credential the budget lacks")
                .method("GET").pathFromProviderState("/internal/budgets/${budgetId}/credentials/openai_key",
                        "/internal/budgets/" + WorkflowContracts.EXAMPLE_BUDGET_ID + "/credentials/openai_key")
                .matchHeader("Authorization", InternalCalls.BEARER, InternalCalls.EXAMPLE_BEARER),
                404, new PactDslJsonBody().stringValue("error", "credential_missing"));
    }

    @Test
    @PactTestFor(pactMethod = "missingCredential")
    void aMissingCredentialIs404(MockServer catalog) {
        try (Response answer = InternalCalls.client(catalog, CatalogClient.class)
                .credential(WorkflowContracts.EXAMPLE_BUDGET_ID, "openai_key")) {
            assertEquals(404, answer.getStatus()); // the run stops: setup_required, missing_credentials
        }
    }

    /** The purchase as {@code Catalog.purchase} sends it, for the user, budget and product the provider state made. */
    private static PactDslJsonBody purchase() {
        return new PactDslJsonBody()
                .valueFromProviderState("user_id", "${userId}", WorkflowContracts.EXAMPLE_USER_ID)
                .valueFromProviderState("budget_id", "${budgetId}", WorkflowContracts.EXAMPLE_BUDGET_ID)
                .valueFromProviderState("product_id", "${productId}", WorkflowContracts.EXAMPLE_PRODUCT_ID)
                .stringType("idempotency_key", "run:65f0000000000000000000c1:step:count")
                .object("parameters").stringValue("action", "analyze").stringValue("text", "Hello there.")
                .closeObject().asBody();
    }

    private static PactDslRequestWithPath purchasing(PactDslWithProvider builder, String state, String description) {
        return builder.given(state).uponReceiving(description)
                .method("POST").path("/internal/purchases")
                .matchHeader("Authorization", InternalCalls.BEARER, InternalCalls.EXAMPLE_BEARER)
                .matchHeader("Content-Type", InternalCalls.JSON_TYPE, "application/json")
                .body(purchase());
    }

    private static StepPurchase stepPurchase() {
        return new StepPurchase(WorkflowContracts.EXAMPLE_USER_ID, WorkflowContracts.EXAMPLE_BUDGET_ID,
                WorkflowContracts.EXAMPLE_PRODUCT_ID,
                JsonNodeFactory.instance.objectNode().put("action", "analyze").put("text", "Hello there."),
                "run:65f0000000000000000000c1:step:count");
    }

    @Pact(consumer = WorkflowContracts.WORKFLOW)
    RequestResponsePact purchased(PactDslWithProvider builder) {
        return InternalCalls.answers(purchasing(builder, WorkflowContracts.BUYER_WITH_CREDITS, "a tool step's purchase"),
                200, new PactDslJsonBody().booleanValue("success", true)
                        .object("data").closeObject().asBody()
                        .stringType("order_id", "65f0000000000000000000a4")
                        .integerType("charged_credits", 5L));
    }

    @Test
    @PactTestFor(pactMethod = "purchased")
    void aPurchaseAnswersTheToolsOutputAndTheCharge(MockServer catalog) throws Exception {
        try (Response answer = InternalCalls.client(catalog, CatalogPurchaseClient.class).purchase(stepPurchase())) {
            assertEquals(200, answer.getStatus());
            JsonNode body = body(answer);
            assertTrue(body.path("data").isObject());
            assertEquals(5, body.path("charged_credits").asLong());
        }
    }

    @Pact(consumer = WorkflowContracts.WORKFLOW)
    RequestResponsePact insufficientCredits(PactDslWithProvider builder) {
        return InternalCalls.answers(purchasing(builder, WorkflowContracts.BUYER_WITHOUT_CREDITS,
                "a tool step's purchase without the credit for it"),
                402, new PactDslJsonBody().stringValue("error", "insufficient_credits"));
    }

    @Test
    @PactTestFor(pactMethod = "insufficientCredits")
    void aPurchaseWithoutCreditIs402(MockServer catalog) {
        try (Response answer = InternalCalls.client(catalog, CatalogPurchaseClient.class).purchase(stepPurchase())) {
            assertEquals(402, answer.getStatus()); // the run fails: insufficient_credits
        }
    }

    @Pact(consumer = WorkflowContracts.WORKFLOW)
    RequestResponsePact productNotOnBudget(PactDslWithProvider builder) {
        return InternalCalls.answers(purchasing(builder, WorkflowContracts.PRODUCT_NOT_ON_BUDGET,
                "a tool step's purchase of a product the budget does not enable"),
                403, new PactDslJsonBody().stringValue("error", "product_not_on_budget")
                        .stringType("detail", "This product is not enabled on your budget"));
    }

    @Test
    @PactTestFor(pactMethod = "productNotOnBudget")
    void aProductTheBudgetDoesNotEnableIs403WithItsCode(MockServer catalog) throws Exception {
        try (Response answer = InternalCalls.client(catalog, CatalogPurchaseClient.class).purchase(stepPurchase())) {
            assertEquals(403, answer.getStatus()); // the run needs setup: its code and detail are shown
            assertEquals("product_not_on_budget", body(answer).path("error").asText());
        }
    }

    private static JsonNode body(Response answer) throws Exception {
        return JSON.readTree(answer.readEntity(String.class));
    }
}
