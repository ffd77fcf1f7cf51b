package dev.tollgate.workflow.workflows;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The body of creating or replacing a workflow, as it travels: what the service declares in its API document (and
 * what the e2e document check holds the published document to). {@link WorkflowDefinition#parse} reads a body of this
 * shape field by field, because it reports every problem at once and checks what a type cannot (templates parse,
 * tool steps name a product and one of its actions, model endpoints meet the egress rules).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WorkflowRequest(String name, String description, Integer maxRunSeconds, List<String> requiredCredentials,
        List<WorkflowView.StepView> steps) {
}
