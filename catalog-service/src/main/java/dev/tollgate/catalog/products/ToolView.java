package dev.tollgate.catalog.products;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A product as an entry of {@code tools} ({@code /products/fetch}, bundles): the contract's fields first, then the
 * fields the product declared ({@code extra}) as they were given, except any named like a contract field.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ToolView(String productId, String name, String displayName, String description, String slug,
        long priceCredits, BigDecimal priceUsd, List<ActionView> actions, List<String> requiredCredentials,
        @JsonAnyGetter @Schema(hidden = true) Map<String, Object> declared) {

    /** The contract's field names: a declared field never replaces one of them. */
    static final Set<String> FIELDS = Set.of("product_id", "name", "display_name", "description", "slug",
            "price_credits", "price_usd", "actions", "required_credentials");

    public static ToolView of(Product p, ObjectMapper mapper) {
        return new ToolView(p.id.toHexString(), p.name, p.displayName, p.description, p.slug, p.priceCredits,
                BigDecimal.valueOf(p.priceCredits, 2), actions(p, mapper),
                p.requiredCredentials == null ? List.of() : p.requiredCredentials, declared(p, FIELDS));
    }

    static List<ActionView> actions(Product p, ObjectMapper mapper) {
        return p.actions == null ? List.of() : p.actions.stream().map(a -> ActionView.of(a, mapper)).toList();
    }

    /** The product's declared fields in their order, without those named like one of {@code taken}. */
    static Map<String, Object> declared(Product p, Set<String> taken) {
        Map<String, Object> declared = new LinkedHashMap<>();
        if (p.extra != null) {
            p.extra.forEach((name, value) -> {
                if (!taken.contains(name)) {
                    declared.put(name, value);
                }
            });
        }
        return declared;
    }
}
