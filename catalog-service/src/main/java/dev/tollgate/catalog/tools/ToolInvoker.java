package dev.tollgate.catalog.tools;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;

/** Runs a call on whatever implements the product: a built-in tool or the vendor's endpoint. */
@ApplicationScoped
public class ToolInvoker {

    private final BuiltInTools builtIns;
    private final VendorTools vendors;

    public ToolInvoker(BuiltInTools builtIns, VendorTools vendors) {
        this.builtIns = builtIns;
        this.vendors = vendors;
    }

    public JsonNode invoke(ToolTarget target, ToolCall call) throws ToolFailure {
        return switch (target) {
            case ToolTarget.Vendor vendor -> vendors.invoke(vendor.url(), call);
            case ToolTarget.BuiltIn builtIn -> invokeBuiltIn(builtIn.key(), call);
        };
    }

    private JsonNode invokeBuiltIn(String key, ToolCall call) throws ToolFailure {
        BuiltInTool tool = builtIns.find(key)
                .orElseThrow(() -> new ToolFailure("tool_missing", "This tool is not available"));
        try {
            return tool.invoke(call);
        } catch (RuntimeException e) {
            throw new ToolFailure("tool_error", "The tool failed: " + e.getClass().getSimpleName());
        }
    }
}
