package dev.tollgate.workflow.limits;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A budget's run limit as it applies: its own ({@code budget}) or the platform default ({@code platform_default}). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunLimitView(String budgetId, int maxConcurrentRuns,
        @Schema(enumeration = {"budget", "platform_default"}) String source) {

    /** {@code data} of the admin answers. */
    public record OneLimit(RunLimitView limit) {
    }
}
