package dev.tollgate.gateway.embed;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A bundle as its page shows it: its workflows that still exist and its active tools. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BundlePage(String bundleId, String name, String description, List<WorkflowPage> workflows,
        List<ProductPage> products) {
}
