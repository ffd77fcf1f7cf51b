package dev.tollgate.workflow.worker;

import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.platform.egress.EgressRefused;
import dev.tollgate.platform.egress.PinnedClient;
import dev.tollgate.workflow.catalog.Catalog;
import dev.tollgate.workflow.config.WorkflowConfig;
import dev.tollgate.workflow.runs.Run;
import dev.tollgate.workflow.runs.RunStatus;
import dev.tollgate.workflow.workflows.ModelEgress;
import dev.tollgate.workflow.workflows.WorkflowStep;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;

/** Executes one step of a run. Templates see {@code prompt} and {@code steps} (earlier outputs by step id). */
@ApplicationScoped
public class StepRunner {

    private final Engine qute;
    private final Catalog catalog;
    private final ObjectMapper json;
    private final WorkflowConfig config;
    private final ModelEgress modelEgress;

    /**
     * Templates parsed once, not for every run and step (rendering is all a run needs). They come from workflow
     * definitions, so there are few; a bound keeps it so. A Qute template is immutable and renders concurrently.
     */
    private final Cache<String, Template> parsed = Caffeine.newBuilder().maximumSize(1000).build();

    private static final Duration MODEL_TIMEOUT = Duration.ofSeconds(60);

    public StepRunner(Engine qute, Catalog catalog, ObjectMapper json, WorkflowConfig config, ModelEgress modelEgress) {
        this.qute = qute;
        this.catalog = catalog;
        this.json = json;
        this.config = config;
        this.modelEgress = modelEgress;
    }

    public StepResult run(Run run, WorkflowStep step, Map<String, String> outputs) {
        return switch (step.type) {
            case "template" -> new StepResult.Output(render(step.template, run, outputs), 0, null);
            case "tool" -> tool(run, step, outputs);
            case "model" -> model(run, step, outputs);
            default -> new StepResult.Stop(RunStatus.FAILED, "invalid_workflow", "Unknown step type " + step.type);
        };
    }

    private StepResult tool(Run run, WorkflowStep step, Map<String, String> outputs) {
        JsonNode parameters;
        try {
            parameters = renderStrings(json.readTree(step.parametersTemplate), run, outputs);
        } catch (IOException e) {
            return new StepResult.Stop(RunStatus.FAILED, "invalid_workflow", "Step parameters are not JSON");
        }
        ((ObjectNode) parameters).put("action", step.action);
        // Same run and step → same order: a retried run finds the first purchase instead of paying again.
        String key = "run:" + run.id.toHexString() + ":step:" + step.id;
        // Asked again under the same key while the outcome is unknown (PurchaseAnswers), backing off up to 5 s.
        long giveUpAt = System.nanoTime() + config.worker().purchaseOutcomeWait().toNanos();
        long backoffMillis = 250;
        while (true) {
            Catalog.Purchase answer = catalog.purchase(run.ownerUserId, run.budgetId, step.productId, parameters, key);
            Optional<StepResult> decided = PurchaseAnswers.decide(step.id, answer);
            if (decided.isPresent()) {
                return decided.get();
            }
            if (System.nanoTime() + backoffMillis * 1_000_000 > giveUpAt) {
                // Not a step failure: the attempt is handed back (RunWorker), and the next asks under the same key.
                throw new PurchaseOutcomeUnknown("Step " + step.id + " of run " + run.id + ": catalog answered "
                        + answer.status() + " " + answer.body().code() + " for "
                        + config.worker().purchaseOutcomeWait());
            }
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PurchaseOutcomeUnknown("Step " + step.id + " of run " + run.id + ": interrupted");
            }
            backoffMillis = Math.min(backoffMillis * 2, 5000);
        }
    }

    /**
     * A tool step whose purchase's outcome could not be learned: deciding the step either way could report a charged
     * purchase as failed, or a failed one as done, so the attempt ends without an outcome and is handed back.
     */
    public static final class PurchaseOutcomeUnknown extends RuntimeException {
        PurchaseOutcomeUnknown(String message) {
            super(message);
        }
    }

    private StepResult model(Run run, WorkflowStep step, Map<String, String> outputs) {
        String apiKey = null;
        if (step.apiKeyCredential != null) {
            apiKey = catalog.credential(run.budgetId, step.apiKeyCredential);
            if (apiKey == null) {
                return new StepResult.Stop(RunStatus.SETUP_REQUIRED, "missing_credentials",
                        "The budget has no credential " + step.apiKeyCredential);
            }
        }
        ChatCompletionRequest request = ChatCompletionRequest.userMessage(step.model,
                render(step.template, run, outputs));
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
        if (apiKey != null) {
            headers.put("Authorization", "Bearer " + apiKey);
        }
        try {
            // Checked again at every call (the server's name may resolve elsewhere now than when the workflow was
            // saved, and a workflow saved before a rule tightened meets it here), and connected to exactly the
            // address checked.
            PinnedClient.Answer response = modelEgress.client().post(step.baseUrl.replaceAll("/+$", "")
                    + "/chat/completions", headers, json.writeValueAsString(request), MODEL_TIMEOUT);
            if (response.status() != 200) {
                return new StepResult.Stop(RunStatus.FAILED, "model_error", "The model answered " + response.status());
            }
            // Read as a tree, not bound to a type: the server is anyone's OpenAI-compatible API, and whatever it answers
            // without a text at choices[0].message.content is the model's error, not a failure to reach it.
            JsonNode answer = json.readTree(response.body()).at("/choices/0/message/content");
            if (!answer.isTextual()) {
                return new StepResult.Stop(RunStatus.FAILED, "model_error", "The model's answer has no message content");
            }
            return new StepResult.Output(answer.asText(), 0, step.model);
        } catch (EgressRefused refused) {
            return new StepResult.Stop(RunStatus.FAILED, "model_error", "The model's base_url " + refused.reason());
        } catch (UnknownHostException e) {
            return new StepResult.Stop(RunStatus.FAILED, "model_error", "The model's host name does not resolve");
        } catch (IOException e) {
            return new StepResult.Stop(RunStatus.FAILED, "model_error", "The model could not be reached");
        }
    }

    String render(String template, Run run, Map<String, String> outputs) {
        return parsed.get(template, qute::parse).data("prompt", run.prompt).data("steps", outputs).render();
    }

    private JsonNode renderStrings(JsonNode node, Run run, Map<String, String> outputs) {
        if (node.isTextual()) {
            return json.getNodeFactory().textNode(render(node.asText(), run, outputs));
        }
        if (node.isObject()) {
            ObjectNode copy = json.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                var e = it.next();
                copy.set(e.getKey(), renderStrings(e.getValue(), run, outputs));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = json.createArrayNode();
            node.forEach(n -> copy.add(renderStrings(n, run, outputs)));
            return copy;
        }
        return node;
    }
}
