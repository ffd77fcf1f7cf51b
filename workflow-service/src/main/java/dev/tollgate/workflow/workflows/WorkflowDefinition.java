package dev.tollgate.workflow.workflows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.http.egress.EgressPolicy;
import dev.tollgate.http.egress.EgressRefused;
import dev.tollgate.workflow.catalog.Catalog;
import dev.tollgate.workflow.http.WebhookError;
import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateException;

/**
 * A workflow as an admin sends it, checked completely before it is stored: every template parses, every tool step
 * names a product the catalog has and one of its actions, model steps name an endpoint and a model. All problems
 * are reported at once, in a 400.
 */
public final class WorkflowDefinition {

    static final Pattern STEP_ID = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    static final Pattern CREDENTIAL_KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    static final int MAX_STEPS = 20;

    private WorkflowDefinition() {
    }

    public static Workflow parse(JsonNode body, Catalog catalog, Engine qute, EgressPolicy modelEgress) {
        List<String> problems = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new WebhookError(400, "invalid_workflow", "The body must be a JSON object");
        }
        Workflow w = new Workflow();
        w.name = text(body, "name", 200, true, problems);
        w.description = text(body, "description", 4000, false, problems);
        w.maxRunSeconds = body.path("max_run_seconds").asInt(300);
        if (w.maxRunSeconds < 1 || w.maxRunSeconds > 3600) {
            problems.add("max_run_seconds: from 1 to 3600");
        }
        w.requiredCredentials = new ArrayList<>();
        for (JsonNode c : body.path("required_credentials")) {
            if (!CREDENTIAL_KEY.matcher(c.asText()).matches()) {
                problems.add("required_credentials: keys are lower_snake_case, got " + c);
            } else {
                w.requiredCredentials.add(c.asText());
            }
        }
        JsonNode steps = body.path("steps");
        if (!steps.isArray() || steps.isEmpty() || steps.size() > MAX_STEPS) {
            problems.add("steps: 1 to " + MAX_STEPS + " steps are required");
        } else {
            w.steps = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < steps.size(); i++) {
                WorkflowStep step = step(steps.get(i), i, catalog, qute, modelEgress, problems);
                if (step != null && !ids.add(step.id)) {
                    problems.add("steps[" + i + "].id: '" + step.id + "' is used twice");
                }
                if (step != null) {
                    w.steps.add(step);
                    if (step.apiKeyCredential != null && !w.requiredCredentials.contains(step.apiKeyCredential)) {
                        w.requiredCredentials.add(step.apiKeyCredential);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new WebhookError(400, "invalid_workflow", String.join("; ", problems));
        }
        return w;
    }

    private static WorkflowStep step(JsonNode node, int i, Catalog catalog, Engine qute, EgressPolicy modelEgress,
            List<String> problems) {
        String at = "steps[" + i + "]";
        WorkflowStep s = new WorkflowStep();
        s.id = node.path("id").asText("step" + (i + 1));
        if (!STEP_ID.matcher(s.id).matches()) {
            problems.add(at + ".id: lower_snake_case, at most 32 characters");
        }
        s.type = node.path("type").asText("");
        switch (s.type) {
            case "template" -> s.template = template(node, "template", at, true, qute, problems);
            case "tool" -> {
                s.productId = node.path("product_id").asText("");
                s.action = node.path("action").asText("");
                JsonNode parameters = node.path("parameters");
                if (!parameters.isMissingNode() && !parameters.isObject()) {
                    problems.add(at + ".parameters: must be an object");
                } else {
                    s.parametersTemplate = parameters.isMissingNode() ? "{}" : parameters.toString();
                    checkTemplates(parameters, at + ".parameters", qute, problems);
                }
                JsonNode product = s.productId.isBlank() ? null : catalog.product(s.productId);
                if (product == null) {
                    problems.add(at + ".product_id: unknown product '" + s.productId + "'");
                } else {
                    s.productId = product.path("product_id").asText();
                    if (!"active".equals(product.path("status").asText())) {
                        problems.add(at + ".product_id: the product is retired");
                    }
                    List<String> actions = new ArrayList<>();
                    product.path("actions").forEach(a -> actions.add(a.asText()));
                    if (!actions.contains(s.action)) {
                        problems.add(at + ".action: one of " + actions);
                    }
                }
            }
            case "model" -> {
                s.baseUrl = node.path("base_url").asText("");
                s.model = node.path("model").asText("");
                s.apiKeyCredential = node.path("api_key_credential").isTextual() ? node.get("api_key_credential").asText() : null;
                s.template = node.has("template") ? template(node, "template", at, true, qute, problems) : "{prompt}";
                try {
                    modelEgress.check(s.baseUrl);
                } catch (EgressRefused refused) {
                    problems.add(at + ".base_url: the base URL of an OpenAI-compatible API, https to a public address "
                            + "or a host on tollgate.workflow.models.private-allow-list; it " + refused.reason());
                }
                if (s.model.isBlank() || s.model.length() > 200) {
                    problems.add(at + ".model: the model name is required");
                }
                if (s.apiKeyCredential != null && !CREDENTIAL_KEY.matcher(s.apiKeyCredential).matches()) {
                    problems.add(at + ".api_key_credential: a lower_snake_case credential key");
                }
            }
            default -> problems.add(at + ".type: one of tool, model, template");
        }
        return s;
    }

    private static String template(JsonNode node, String field, String at, boolean required, Engine qute,
            List<String> problems) {
        JsonNode t = node.get(field);
        if (t == null || !t.isTextual() || t.asText().isBlank()) {
            if (required) {
                problems.add(at + "." + field + ": a template is required");
            }
            return null;
        }
        checkTemplate(t.asText(), at + "." + field, qute, problems);
        return t.asText();
    }

    private static void checkTemplates(JsonNode node, String at, Engine qute, List<String> problems) {
        if (node.isTextual()) {
            checkTemplate(node.asText(), at, qute, problems);
        } else if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String name = it.next();
                checkTemplates(node.get(name), at + "." + name, qute, problems);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkTemplates(node.get(i), at + "[" + i + "]", qute, problems);
            }
        }
    }

    private static void checkTemplate(String template, String at, Engine qute, List<String> problems) {
        try {
            qute.parse(template);
        } catch (TemplateException e) {
            problems.add(at + ": the template does not parse (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    private static String text(JsonNode body, String field, int max, boolean required, List<String> problems) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                problems.add(field + ": required");
            }
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > max) {
            problems.add(field + ": a string of 1 to " + max + " characters");
            return null;
        }
        return n.asText();
    }
}
