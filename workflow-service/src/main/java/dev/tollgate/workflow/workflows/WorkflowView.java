package dev.tollgate.workflow.workflows;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A workflow definition as the admin API shows it: everything an admin saved, each step with the fields of its type
 * (every one present, null where not set).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WorkflowView(String workflowId, String name, String description, List<StepView> steps,
        List<String> requiredCredentials, int maxRunSeconds, String createdAt, String updatedAt) {

    /** One step, in the shape of its {@code type}. */
    @Schema(oneOf = { TemplateStep.class, ToolStep.class, ModelStep.class })
    public sealed interface StepView {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ToolStep(String id, String type, String productId, String action, JsonNode parameters)
            implements StepView {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ModelStep(String id, String type, String baseUrl, String model, String apiKeyCredential,
            String template) implements StepView {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record TemplateStep(String id, String type, String template) implements StepView {
    }

    /** {@code mapper} reads a tool step's parameters back from the JSON text they are stored as. */
    public static WorkflowView of(Workflow w, ObjectMapper mapper) {
        return new WorkflowView(w.id.toHexString(), w.name, w.description,
                w.steps.stream().map(s -> step(s, mapper)).toList(), w.requiredCredentials, w.maxRunSeconds,
                w.createdAt.toString(), w.updatedAt.toString());
    }

    private static StepView step(WorkflowStep s, ObjectMapper mapper) {
        return switch (s.type) {
            case "tool" -> new ToolStep(s.id, s.type, s.productId, s.action, parameters(s, mapper));
            case "model" -> new ModelStep(s.id, s.type, s.baseUrl, s.model, s.apiKeyCredential, s.template);
            default -> new TemplateStep(s.id, s.type, s.template);
        };
    }

    private static JsonNode parameters(WorkflowStep s, ObjectMapper mapper) {
        try {
            return mapper.readTree(s.parametersTemplate);
        } catch (IOException e) {
            return null;
        }
    }
}
