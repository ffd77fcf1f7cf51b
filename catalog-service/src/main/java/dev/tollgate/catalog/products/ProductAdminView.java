package dev.tollgate.catalog.products;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A product as the admin API shows it: its {@link ToolView} fields and declared fields, then its status, how it is
 * invoked and when it was created and last changed.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({ "productId", "name", "displayName", "description", "slug", "priceCredits", "priceUsd", "actions",
        "requiredCredentials", "declared", "status", "invocation", "createdAt", "updatedAt" })
public record ProductAdminView(String productId, String name, String displayName, String description, String slug,
        long priceCredits, BigDecimal priceUsd, List<ActionView> actions, List<String> requiredCredentials,
        @JsonAnyGetter @Schema(hidden = true) Map<String, Object> declared, String status, Invocation invocation, String createdAt,
        String updatedAt) {

    private static final Set<String> FIELDS = fields();

    /** How the product is invoked: a built-in shows its {@code tool}, a vendor product its {@code url}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Invocation(String type, String tool, String url) {

        public static Invocation builtIn(String tool) {
            return new Invocation(Product.BUILTIN, tool, null);
        }

        public static Invocation vendor(String url) {
            return new Invocation(Product.VENDOR, null, url);
        }
    }

    public static ProductAdminView of(Product p, ObjectMapper mapper) {
        Invocation invocation = Product.BUILTIN.equals(p.invocation) ? Invocation.builtIn(p.builtinTool)
                : Invocation.vendor(p.vendorUrl);
        return new ProductAdminView(p.id.toHexString(), p.name, p.displayName, p.description, p.slug, p.priceCredits,
                BigDecimal.valueOf(p.priceCredits, 2), ToolView.actions(p, mapper),
                p.requiredCredentials == null ? List.of() : p.requiredCredentials, ToolView.declared(p, FIELDS),
                p.isActive() ? Product.ACTIVE : Product.RETIRED, invocation, iso(p.createdAt), iso(p.updatedAt));
    }

    private static Set<String> fields() {
        Set<String> fields = new HashSet<>(ToolView.FIELDS);
        fields.addAll(List.of("status", "invocation", "created_at", "updated_at"));
        return Set.copyOf(fields);
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
