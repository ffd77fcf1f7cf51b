package dev.tollgate.catalog.tools;

/**
 * One action a built-in tool declares: its name, what it does, and the JSON Schema (2020-12, as JSON text) its
 * parameters must satisfy. Products copy these into their own actions when a built-in is chosen.
 */
public record ToolAction(String name, String description, String parametersSchema) {
}
