package dev.tollgate.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.client.ApiClient;
import dev.tollgate.client.ApiException;
import dev.tollgate.client.api.AuthApi;
import dev.tollgate.client.api.CreditsApi;
import dev.tollgate.client.api.IssuesApi;
import dev.tollgate.client.api.ProductsApi;
import dev.tollgate.client.api.WorkflowRunsApi;
import dev.tollgate.client.model.IssueReportRequest;
import dev.tollgate.client.model.PurchaseRequest;
import dev.tollgate.client.model.PurchaseRequestParameters;
import dev.tollgate.client.model.PurchaseResponse;
import dev.tollgate.client.model.Run;
import dev.tollgate.client.model.RunStatus;
import dev.tollgate.client.model.TokenRequest;
import dev.tollgate.client.model.TriggerRequest;
import dev.tollgate.client.model.TriggerResponse;
import dev.tollgate.client.model.WorkflowBlockedError;
import dev.tollgate.localstack.launcher.LocalPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mission tour walked with the Java client generated from the public API document (module {@code tollgate-client},
 * no hand edits), against the platform as {@code deploy/local/up} starts it: if the document and the API drift apart
 * so that a generated client breaks, this fails. The client's JSON mapper refuses properties the document does not
 * declare, so every answer on the tour is checked against its model field by field.
 */
class ClientTourTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;

    static LocalPlatform platform;
    static JsonNode stack;
    static String gateway;

    @BeforeAll
    static void up() throws Exception {
        platform = new LocalPlatform(workDir);
        LocalPlatform.Result up = platform.up();
        assertEquals(0, up.exitCode(), up.output());
        stack = JSON.readTree(Files.readString(platform.runDir.resolve("stack.json")));
        gateway = stack.get("gateway_url").asText();
    }

    @AfterAll
    static void down() {
        if (platform != null) {
            platform.down();
        }
    }

    /** A client of the gateway as an integrator makes one: the base URI, then the bearer token for every call. */
    static ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(gateway);
        client.getObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        if (token != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        }
        return client;
    }

    static String token(String apiKey) throws ApiException {
        return new AuthApi(client(null)).issueAccessToken(new TokenRequest().apiKey(apiKey)).getAccessToken();
    }

    @Test
    void theTourWithTheGeneratedClient() throws Exception {
        ApiClient alice = client(token(stack.get("api_key").asText()));
        ApiClient bob = client(token(stack.get("second_api_key").asText()));
        String productId = stack.get("product_id").asText();

        // Balance, history, the tools.
        CreditsApi credits = new CreditsApi(alice);
        int before = credits.getCreditBalance().getData().getBalance();
        assertTrue(before > 0, "the demo tenant has credits");
        assertNotNull(credits.getCreditHistory(10).getData().getTransactions());
        assertTrue(new ProductsApi(alice).fetchProducts(null, null, null, null, null, null).getTools().stream()
                .anyMatch(tool -> tool.getProductId().equals(productId)));

        // A purchase, charged once; its replay under the same key charges nothing more.
        PurchaseRequestParameters parameters = new PurchaseRequestParameters();
        stack.get("product_parameters").properties().forEach(field -> {
            if (field.getKey().equals("action")) {
                parameters.action(field.getValue().asText());
            } else {
                parameters.putAdditionalProperty(field.getKey(), JSON.convertValue(field.getValue(), Object.class));
            }
        });
        PurchaseRequest purchase = new PurchaseRequest().productId(productId).parameters(parameters);
        String key = "client-tour-" + UUID.randomUUID();
        PurchaseResponse bought = new ProductsApi(alice).purchaseProduct(purchase, null, null, key);
        assertTrue(bought.getChargedCredits() > 0, "charged: " + bought);
        new ProductsApi(alice).purchaseProduct(purchase, null, null, key);
        assertEquals(before - bought.getChargedCredits(), credits.getCreditBalance().getData().getBalance());

        // An issue report.
        assertNotNull(new IssuesApi(alice).reportIssue(new IssueReportRequest().productId(productId)
                .errorMessage("the client tour reports an issue"), null).getData().getIssueId());

        // A run: triggered with a request id and metadata, followed with the long-poll to its end; a replay of the
        // request id answers the same run.
        WorkflowRunsApi runs = new WorkflowRunsApi(alice);
        String workflow = stack.get("workflow_id").asText();
        TriggerRequest trigger = new TriggerRequest().prompt("hello from Java").requestId("client-" + UUID.randomUUID())
                .requestMetadata(Map.of("client", "tollgate-client"));
        TriggerResponse accepted = runs.triggerWorkflow(workflow, trigger);
        String runId = accepted.getData().getRun().getRunId();
        assertEquals(runId, runs.triggerWorkflow(workflow, trigger).getData().getRun().getRunId());
        Run ended = await().atMost(Duration.ofSeconds(60)).until(
                () -> runs.getRun(runId, 25, "queued").getData().getRun(),
                run -> run.getStatus() == RunStatus.COMPLETED);
        assertEquals("hello from Java", ended.getPrompt());

        // Cancel without a body: the generated client sends a JSON null, which is no body.
        String slow = new WorkflowRunsApi(alice).triggerWorkflow(stack.get("slow_workflow_id").asText(),
                new TriggerRequest().prompt("cancel me")).getData().getRun().getRunId();
        // A running run's cancel is recorded at once and its worker stops it; a queued one ends at once.
        assertNotNull(runs.cancelRun(slow, null).getData().getRun().getCancelRequestedAt());
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.getRun(slow, 25, "running").getData().getRun(),
                run -> run.getStatus() == RunStatus.CANCELLED);

        // A workflow not on the budget: 409 with what would unblock it.
        ApiException blocked = assertThrows(ApiException.class, () -> runs.triggerWorkflow(
                stack.get("blocked_workflow_id").asText(), new TriggerRequest().prompt("may I?")));
        assertEquals(409, blocked.getCode());
        WorkflowBlockedError why = alice.getObjectMapper().readValue(blocked.getResponseBody(),
                WorkflowBlockedError.class);
        assertEquals("workflow_not_on_budget", why.getError().getValue());

        // Another tenant's run is a 404 to them.
        ApiException hidden = assertThrows(ApiException.class, () -> new WorkflowRunsApi(bob).getRun(runId, null, null));
        assertEquals(404, hidden.getCode());
    }
}
