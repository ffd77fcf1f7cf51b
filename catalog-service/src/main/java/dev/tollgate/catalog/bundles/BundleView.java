package dev.tollgate.catalog.bundles;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.catalog.products.ToolView;

/** A bundle with its active tools (each as {@code /products/fetch} shows it) and its workflow ids. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BundleView(String bundleId, String name, String description, List<ToolView> tools,
        List<String> workflowIds, String createdAt) {
}
