package dev.tollgate.gateway.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.dius.pact.consumer.MockServer;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
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
import dev.tollgate.gateway.embed.WorkflowLookupClient;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the embed pages ask workflow-service: a workflow's name and description, and 404 {@code workflow_not_found}
 * (in the webhooks family's error shape) for one that does not exist, which the page tells from an outage.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@ExtendWith(CommittedPacts.class)
@ExtendWith(PactConsumerTestExt.class)
@PactTestFor(providerName = GatewayContracts.WORKFLOW, pactVersion = PactSpecVersion.V3)
@PactDirectory(CommittedPacts.WRITTEN)
class WorkflowServiceConsumerPactTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNKNOWN_WORKFLOW = "0123456789abcdef01234567";

    @Pact(consumer = GatewayContracts.GATEWAY)
    RequestResponsePact workflow(PactDslWithProvider builder) {
        return InternalCalls.answers(builder
                .given(GatewayContracts.WORKFLOW_EXISTS)
                .uponReceiving("the embed page's look-up of a workflow")
                .method("GET").pathFromProviderState("/internal/workflows/${workflowId}",
                        "/internal/workflows/" + GatewayContracts.EXAMPLE_WORKFLOW_ID)
                .matchHeader("Authorization", InternalCalls.BEARER, InternalCalls.EXAMPLE_BEARER),
                200, new PactDslJsonBody().booleanValue("success", true).object("data").object("workflow")
                        .stringType("workflow_id", GatewayContracts.EXAMPLE_WORKFLOW_ID)
                        .stringType("name", "Support bot")
                        .stringType("description", "Answers questions about your orders")
                        .closeObject().closeObject());
    }

    @Test
    @PactTestFor(pactMethod = "workflow")
    void aWorkflowHasANameAndADescription(MockServer workflows) throws Exception {
        try (Response answer = InternalCalls.client(workflows, WorkflowLookupClient.class)
                .workflow(GatewayContracts.EXAMPLE_WORKFLOW_ID)) {
            assertEquals(200, answer.getStatus());
            JsonNode workflow = JSON.readTree(answer.readEntity(String.class)).at("/data/workflow");
            assertEquals(GatewayContracts.EXAMPLE_WORKFLOW_ID, workflow.path("workflow_id").asText());
            assertTrue(workflow.path("name").isTextual());
        }
    }

    @Pact(consumer = GatewayContracts.GATEWAY)
    RequestResponsePact unknownWorkflow(PactDslWithProvider builder) {
        return InternalCalls.answers(builder
                .given("no workflow has the id " + UNKNOWN_WORKFLOW)
                .uponReceiving("the embed page's look-up of an unknown workflow")
                .method("GET").path("/internal/workflows/" + UNKNOWN_WORKFLOW)
                .matchHeader("Authorization", InternalCalls.BEARER, InternalCalls.EXAMPLE_BEARER),
                404, new PactDslJsonBody().booleanValue("success", false).stringValue("error", "workflow_not_found")
                        .stringType("message", "No workflow " + UNKNOWN_WORKFLOW));
    }

    @Test
    @PactTestFor(pactMethod = "unknownWorkflow")
    void anUnknownWorkflowIs404WorkflowNotFound(MockServer workflows) {
        try (Response answer = InternalCalls.client(workflows, WorkflowLookupClient.class).workflow(UNKNOWN_WORKFLOW)) {
            GatewayContracts.assertNotFound(answer, "workflow_not_found");
        }
    }
}
