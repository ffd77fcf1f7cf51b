package dev.tollgate.catalog.products;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A product as services see it: whether it is buyable, its price, its action names (workflow-service) and the same
 * action entries {@code /products/fetch} shows (the embed page's form).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record InternalProductView(String productId, String name, String displayName, String description,
        String status, long priceCredits, List<String> actions, List<ActionView> actionSchemas) {

    public static InternalProductView of(Product p, ObjectMapper mapper) {
        return new InternalProductView(p.id.toHexString(), p.name, p.displayName, p.description,
                p.isActive() ? Product.ACTIVE : Product.RETIRED, p.priceCredits,
                p.actions == null ? List.of() : p.actions.stream().map(a -> a.name).toList(),
                ToolView.actions(p, mapper));
    }
}
