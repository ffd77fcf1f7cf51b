package dev.tollgate.workflow.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.web.CodedError;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code PUT /admin/run-limits/{budgetId}}: {@code {"max_concurrent_runs": N}}, 0 (no limit) to 10,000. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunLimitRequest(
        @Schema(required = true, minimum = "0", maximum = "10000",
                description = "Runs of the budget one worker executes at once; 0: no limit but the worker's slots")
        int maxConcurrentRuns) {

    static final int MAX = 10_000;

    static RunLimitRequest from(JsonNode body) {
        JsonNode value = body.path("max_concurrent_runs");
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0 || value.asInt() > MAX) {
            throw new CodedError(400, "invalid_run_limit",
                    "max_concurrent_runs must be a whole number from 0 (no limit) to " + MAX);
        }
        return new RunLimitRequest(value.asInt());
    }
}
