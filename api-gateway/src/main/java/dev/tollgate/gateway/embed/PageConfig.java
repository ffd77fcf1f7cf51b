package dev.tollgate.gateway.embed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a page's scripts read from its {@code embed-config} element: {@code kind}, and the item under the kind's own
 * name ({@code {"kind": "bundle", "bundle": {...}}}); the other two are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "kind", "workflow", "bundle", "product" })
public record PageConfig(String kind, WorkflowPage workflow, BundlePage bundle, ProductPage product) {

    static PageConfig of(WorkflowPage workflow) {
        return new PageConfig("workflow", workflow, null, null);
    }

    static PageConfig of(BundlePage bundle) {
        return new PageConfig("bundle", null, bundle, null);
    }

    static PageConfig of(ProductPage product) {
        return new PageConfig("product", null, null, product);
    }
}
