package dev.tollgate.callback.intake;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What this service reads of a {@code workflow.run.lifecycle} event (workflow-service writes more). {@code data.run}
 * stays a tree: it is the run object a poll of the status endpoint returns, and a callback carries it as it came.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LifecycleEvent(String id, String type, Data data) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Data(String ownerUserId, JsonNode run) {
    }
}
