package dev.tollgate.catalog.products;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.tollgate.catalog.tools.ToolTarget;
import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.types.ObjectId;

/** A tool agents can buy calls of. */
@MongoEntity(collection = "products")
public class Product {
    public static final String ACTIVE = "active";
    public static final String RETIRED = "retired";
    public static final String BUILTIN = "builtin";
    public static final String VENDOR = "vendor";

    @BsonId
    public ObjectId id;
    /** Stable, URL-safe identifier chosen by the admin, e.g. {@code text-stats}. */
    public String slug;
    /** The function name an LLM invokes. */
    public String name;
    public String displayName;
    public String description;
    public long priceCredits;
    public List<ProductAction> actions;
    /** Credential keys a budget must hold to use this tool, e.g. {@code github_token}. */
    public List<String> requiredCredentials;
    /** {@link #BUILTIN} (runs inside catalog-service) or {@link #VENDOR} (POSTed to {@link #vendorUrl}). */
    public String invocation;
    public String builtinTool;
    public String vendorUrl;
    public String status;
    /** Product-declared fields passed through unchanged in {@code /products/fetch}. */
    public Map<String, Object> extra;
    public Instant createdAt;
    public Instant updatedAt;

    public ProductAction action(String actionName) {
        return actions == null ? null
                : actions.stream().filter(a -> a.name.equals(actionName)).findFirst().orElse(null);
    }

    /** Where a call of this product goes: its vendor's endpoint, or the built-in tool it names. */
    public ToolTarget target() {
        return VENDOR.equals(invocation) ? new ToolTarget.Vendor(vendorUrl) : new ToolTarget.BuiltIn(builtinTool);
    }

    public boolean isActive() {
        return ACTIVE.equals(status) || status == null;
    }
}
