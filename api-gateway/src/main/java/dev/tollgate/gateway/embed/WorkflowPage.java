package dev.tollgate.gateway.embed;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A workflow as its chat page (and a bundle's page) shows it: only what an end user may see. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WorkflowPage(String workflowId, String name, String description) {
}
