package dev.tollgate.workflow.catalog;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A product as {@code GET /internal/products/{ref}} shows it ({@code data.product}), as far as checking a workflow's
 * tool step needs: its id (the step may name it by name), whether it is {@code active}, and its action names.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CatalogProduct(String productId, String status, List<String> actions) {

    public CatalogProduct {
        actions = actions == null ? List.of() : actions;
    }

    public boolean isActive() {
        return "active".equals(status);
    }

    /** {@code data} of the product's envelope. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Found(CatalogProduct product) {
    }
}
