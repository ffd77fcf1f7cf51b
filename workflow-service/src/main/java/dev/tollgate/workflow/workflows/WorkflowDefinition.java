package dev.tollgate.workflow.workflows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.platform.egress.EgressPolicy;
import dev.tollgate.platform.egress.EgressRefused;
import dev.tollgate.platform.web.CodedError;
import dev.tollgate.workflow.catalog.Catalog;
import dev.tollgate.workflow.catalog.CatalogProduct;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Expression;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import io.quarkus.qute.TemplateNode;

/**
 * A workflow as an admin sends it, checked completely before it is stored: every field has its type (nothing is
 * coerced: a {@code max_run_seconds} of {@code "str"} or {@code 1.5} is a problem, not 300 or 1), every template
 * parses and uses only what a run gives it, every tool step names a product the catalog has and one of its actions,
 * model steps name an endpoint the egress rules allow and a model. All problems are reported at once, in a 400.
 */
public final class WorkflowDefinition {

    static final Pattern STEP_ID = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    static final Pattern CREDENTIAL_KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    static final int MAX_STEPS = 20;
    static final int DEFAULT_MAX_RUN_SECONDS = 300;
    static final int MAX_TEMPLATE_LENGTH = 20_000;
    /** Qute sections a template may use: conditions only (no loops, includes, evaluation of data as a template). */
    static final Set<String> SECTIONS = Set.of("if", "when", "switch", "is", "case", "else");
    /** Step ids a template could not name: Qute answers {@code steps.size} and these with the map's own properties. */
    static final Set<String> RESERVED_STEP_IDS = Set.of("keys", "values", "size", "empty");

    private WorkflowDefinition() {
    }

    public static Workflow parse(JsonNode body, Catalog catalog, Engine qute, EgressPolicy modelEgress) {
        List<String> problems = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new CodedError(400, "invalid_workflow", "The body must be a JSON object");
        }
        Workflow w = new Workflow();
        w.name = text(body, "name", 200, true, problems);
        w.description = text(body, "description", 4000, false, problems);
        w.maxRunSeconds = maxRunSeconds(body.get("max_run_seconds"), problems);
        w.requiredCredentials = new ArrayList<>();
        JsonNode credentials = body.get("required_credentials");
        if (credentials != null && !credentials.isNull() && !credentials.isArray()) {
            problems.add("required_credentials: a list of credential keys");
        } else if (credentials != null) {
            for (JsonNode c : credentials) {
                if (!c.isTextual() || !CREDENTIAL_KEY.matcher(c.asText()).matches()) {
                    problems.add("required_credentials: keys are lower_snake_case strings, got " + shown(c));
                } else if (!w.requiredCredentials.contains(c.asText())) {
                    w.requiredCredentials.add(c.asText());
                }
            }
        }
        JsonNode steps = body.get("steps");
        if (steps == null || !steps.isArray() || steps.isEmpty() || steps.size() > MAX_STEPS) {
            problems.add("steps: 1 to " + MAX_STEPS + " steps are required");
        } else {
            w.steps = new ArrayList<>();
            List<String> earlier = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < steps.size(); i++) {
                if (!steps.get(i).isObject()) {
                    problems.add("steps[" + i + "]: a step is an object");
                    continue;
                }
                WorkflowStep step = step(steps.get(i), i, List.copyOf(earlier), catalog, qute, modelEgress, problems);
                if (!ids.add(step.id)) {
                    problems.add("steps[" + i + "].id: '" + step.id + "' is used twice");
                }
                earlier.add(step.id);
                w.steps.add(step);
                if (step.apiKeyCredential != null && !w.requiredCredentials.contains(step.apiKeyCredential)) {
                    w.requiredCredentials.add(step.apiKeyCredential);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new CodedError(400, "invalid_workflow", String.join("; ", problems));
        }
        return w;
    }

    private static int maxRunSeconds(JsonNode n, List<String> problems) {
        if (n == null) {
            return DEFAULT_MAX_RUN_SECONDS;
        }
        if (n.isNull()) {
            problems.add("max_run_seconds: a whole number of seconds from 1 to 3600 (leave it out for "
                    + DEFAULT_MAX_RUN_SECONDS + ")");
            return DEFAULT_MAX_RUN_SECONDS;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > 3600) {
            problems.add("max_run_seconds: a whole number of seconds from 1 to 3600, got " + shown(n));
            return DEFAULT_MAX_RUN_SECONDS;
        }
        return n.asInt();
    }

    /** {@code earlier}: the ids of the steps before this one, the only outputs its templates can see. */
    private static WorkflowStep step(JsonNode node, int i, List<String> earlier, Catalog catalog, Engine qute,
            EgressPolicy modelEgress, List<String> problems) {
        String at = "steps[" + i + "]";
        WorkflowStep s = new WorkflowStep();
        JsonNode id = node.get("id");
        s.id = id == null || id.isNull() ? "step" + (i + 1) : id.isTextual() ? id.asText() : shown(id);
        if (!STEP_ID.matcher(s.id).matches()) {
            problems.add(at + ".id: lower_snake_case, at most 32 characters");
        } else if (RESERVED_STEP_IDS.contains(s.id)) {
            problems.add(at + ".id: '" + s.id + "' is reserved (a template's {steps." + s.id + "} would not name it); one of "
                    + RESERVED_STEP_IDS + " may not be used");
        }
        Scope scope = new Scope(earlier);
        s.type = node.path("type").isTextual() ? node.get("type").asText() : "";
        switch (s.type) {
            case "template" -> s.template = template(node, "template", at, true, qute, scope, problems);
            case "tool" -> {
                s.productId = text(node, "product_id", 200, true, at, problems);
                s.action = text(node, "action", 64, true, at, problems);
                JsonNode parameters = node.get("parameters");
                if (parameters != null && !parameters.isObject()) {
                    problems.add(at + ".parameters: must be an object");
                } else {
                    s.parametersTemplate = parameters == null ? "{}" : parameters.toString();
                    if (parameters != null) {
                        checkTemplates(parameters, at + ".parameters", qute, scope, problems);
                    }
                }
                CatalogProduct product = s.productId == null ? null : catalog.product(s.productId);
                if (product == null) {
                    if (s.productId != null) {
                        problems.add(at + ".product_id: unknown product '" + s.productId + "'");
                    }
                } else {
                    s.productId = product.productId();
                    if (!product.isActive()) {
                        problems.add(at + ".product_id: the product is retired");
                    }
                    if (s.action != null && !product.actions().contains(s.action)) {
                        problems.add(at + ".action: one of " + product.actions());
                    }
                }
            }
            case "model" -> {
                s.baseUrl = text(node, "base_url", 2048, true, at, problems);
                s.model = text(node, "model", 200, true, at, problems);
                JsonNode key = node.get("api_key_credential");
                if (key != null && !key.isNull()) {
                    if (!key.isTextual() || !CREDENTIAL_KEY.matcher(key.asText()).matches()) {
                        problems.add(at + ".api_key_credential: a lower_snake_case credential key");
                    } else {
                        s.apiKeyCredential = key.asText();
                    }
                }
                s.template = node.has("template") ? template(node, "template", at, true, qute, scope, problems)
                        : "{prompt}";
                if (s.baseUrl != null) {
                    try {
                        modelEgress.check(s.baseUrl);
                    } catch (EgressRefused refused) {
                        problems.add(at + ".base_url: the base URL of an OpenAI-compatible API, https to a public "
                                + "address or a host on tollgate.workflow.models.private-allow-list; it "
                                + refused.reason());
                    }
                }
            }
            default -> problems.add(at + ".type: one of tool, model, template");
        }
        return s;
    }

    private static String template(JsonNode node, String field, String at, boolean required, Engine qute, Scope scope,
            List<String> problems) {
        JsonNode t = node.get(field);
        if (t == null || !t.isTextual() || t.asText().isBlank() || t.asText().length() > MAX_TEMPLATE_LENGTH) {
            if (required) {
                problems.add(at + "." + field + ": a template of 1 to " + MAX_TEMPLATE_LENGTH + " characters is "
                        + "required");
            }
            return null;
        }
        checkTemplate(t.asText(), at + "." + field, qute, scope, problems);
        return t.asText();
    }

    private static void checkTemplates(JsonNode node, String at, Engine qute, Scope scope, List<String> problems) {
        if (node.isTextual()) {
            checkTemplate(node.asText(), at, qute, scope, problems);
        } else if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String name = it.next();
                checkTemplates(node.get(name), at + "." + name, qute, scope, problems);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkTemplates(node.get(i), at + "[" + i + "]", qute, scope, problems);
            }
        }
    }

    /**
     * Parses the template and checks that it uses only what a run renders it with: {@code prompt} and
     * {@code steps.<id>} of an earlier step, in {@code {#if}} and {@code {#when}} conditions at most. Anything else
     * (a method call, another name,
     * a loop, an include) used to pass this check and fail the run when rendered.
     */
    private static void checkTemplate(String template, String at, Engine qute, Scope scope, List<String> problems) {
        Template parsed;
        try {
            parsed = qute.parse(template);
        } catch (TemplateException e) {
            problems.add(at + ": the template does not parse (" + e.getMessage().lines().findFirst().orElse("") + ")");
            return;
        }
        for (TemplateNode section : parsed.findNodes(TemplateNode::isSection)) {
            String name = section.asSection().getName();
            if (!SECTIONS.contains(name) && !section.asSection().equals(parsed.getRootNode())) {
                problems.add(at + ": {#" + name + "} is not available in workflow templates (only {#if} and {#when})");
                return;
            }
        }
        for (Expression e : parsed.getExpressions()) {
            String refused = scope.refusal(e);
            if (refused != null) {
                problems.add(at + ": {" + e.toOriginalString() + "} " + refused);
                return;
            }
        }
    }

    /** What a step's templates may refer to. */
    private record Scope(List<String> earlierSteps) {

        /** Why {@code e} cannot be rendered in a run, or null when it can. */
        String refusal(Expression e) {
            if (e.isLiteral()) {
                return null;
            }
            if (e.hasNamespace()) {
                return "uses a namespace; templates see only {prompt} and {steps.<id>}";
            }
            List<Expression.Part> parts = e.getParts();
            if (parts.stream().anyMatch(Expression.Part::isVirtualMethod)) {
                return "calls a method; templates see only {prompt} and {steps.<id>}";
            }
            String root = parts.getFirst().getName();
            if (root.equals("prompt") && parts.size() == 1) {
                return null;
            }
            if (root.equals("steps") && parts.size() == 2) {
                String step = parts.get(1).getName();
                return earlierSteps.contains(step) ? null
                        : "names no earlier step; steps before this one: " + earlierSteps;
            }
            return "is not {prompt} or {steps.<id>}";
        }
    }

    private static String text(JsonNode body, String field, int max, boolean required, List<String> problems) {
        return text(body, field, max, required, null, problems);
    }

    private static String text(JsonNode node, String field, int max, boolean required, String at,
            List<String> problems) {
        String where = at == null ? field : at + "." + field;
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                problems.add(where + ": required");
            }
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > max) {
            problems.add(where + ": a string of 1 to " + max + " characters");
            return null;
        }
        return n.asText();
    }

    /** A node as it may be quoted in a message: short, whatever the caller sent. */
    private static String shown(JsonNode n) {
        String s = n.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
