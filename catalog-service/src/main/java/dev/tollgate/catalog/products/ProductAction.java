package dev.tollgate.catalog.products;

import dev.tollgate.catalog.tools.ToolAction;

/** One thing a tool can do, with the JSON Schema (2020-12, as JSON text) its parameters must satisfy. */
public class ProductAction {
    public String name;
    public String description;
    public String parametersSchema;

    public ProductAction() {
    }

    public ProductAction(String name, String description, String parametersSchema) {
        this.name = name;
        this.description = description;
        this.parametersSchema = parametersSchema;
    }

    /** A built-in tool's declared action, as the product stores it. */
    public static ProductAction of(ToolAction declared) {
        return new ProductAction(declared.name(), declared.description(), declared.parametersSchema());
    }
}
