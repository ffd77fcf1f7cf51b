package dev.tollgate.catalog.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.catalog.products.Product;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Runs a call on whatever implements the product: a built-in tool or the vendor's endpoint. */
@ApplicationScoped
public class ToolInvoker {

    @Inject
    BuiltInTools builtIns;

    @Inject
    VendorTools vendors;

    public JsonNode invoke(Product product, ToolCall call) throws ToolFailure {
        if (Product.VENDOR.equals(product.invocation)) {
            return vendors.invoke(product.vendorUrl, call);
        }
        BuiltInTool tool = builtIns.find(product.builtinTool)
                .orElseThrow(() -> new ToolFailure("tool_missing", "This tool is not available"));
        try {
            return tool.invoke(call);
        } catch (RuntimeException e) {
            throw new ToolFailure("tool_error", "The tool failed: " + e.getClass().getSimpleName());
        }
    }
}
