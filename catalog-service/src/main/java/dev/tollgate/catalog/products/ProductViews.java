package dev.tollgate.catalog.products;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Products as JSON: the fetch entry (contract fields first, then the product's declared ones) and the admin view. */
public final class ProductViews {

    private ProductViews() {
    }

    public static Map<String, Object> tool(Product p, ObjectMapper mapper) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("product_id", p.id.toHexString());
        m.put("name", p.name);
        m.put("display_name", p.displayName);
        m.put("description", p.description);
        m.put("slug", p.slug);
        m.put("price_credits", p.priceCredits);
        m.put("price_usd", java.math.BigDecimal.valueOf(p.priceCredits, 2));
        m.put("actions", p.actions == null ? java.util.List.of() : p.actions.stream().map(a -> {
            Map<String, Object> action = new LinkedHashMap<>();
            action.put("name", a.name);
            action.put("description", a.description);
            action.put("parameters_schema", parse(a.parametersSchema, mapper));
            return action;
        }).toList());
        m.put("required_credentials", p.requiredCredentials == null ? java.util.List.of() : p.requiredCredentials);
        if (p.extra != null) {
            p.extra.forEach(m::putIfAbsent);
        }
        return m;
    }

    public static Map<String, Object> admin(Product p, ObjectMapper mapper) {
        Map<String, Object> m = tool(p, mapper);
        m.put("status", p.isActive() ? Product.ACTIVE : Product.RETIRED);
        Map<String, Object> invocation = new LinkedHashMap<>();
        invocation.put("type", p.invocation);
        if (Product.BUILTIN.equals(p.invocation)) {
            invocation.put("tool", p.builtinTool);
        } else {
            invocation.put("url", p.vendorUrl);
        }
        m.put("invocation", invocation);
        m.put("created_at", p.createdAt == null ? null : p.createdAt.toString());
        m.put("updated_at", p.updatedAt == null ? null : p.updatedAt.toString());
        return m;
    }

    private static Object parse(String json, ObjectMapper mapper) {
        try {
            return mapper.readTree(json);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
