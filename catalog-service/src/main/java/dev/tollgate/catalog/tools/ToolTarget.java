package dev.tollgate.catalog.tools;

/** Where a tool call goes: a built-in tool (by its key) or a vendor's endpoint. */
public sealed interface ToolTarget {

    record BuiltIn(String key) implements ToolTarget {
    }

    record Vendor(String url) implements ToolTarget {
    }
}
