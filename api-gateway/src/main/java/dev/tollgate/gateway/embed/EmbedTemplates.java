package dev.tollgate.gateway.embed;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateInstance;

/**
 * The embed HTML documents ({@code templates/embed/*.html}), checked at build time. Qute escapes every value for
 * HTML except the {@link RawString} configuration, which {@link ScriptJson} made safe for a script element.
 */
@CheckedTemplate(basePath = "embed")
public final class EmbedTemplates {

    private EmbedTemplates() {
    }

    /**
     * A page's data. {@code assetBase} is the relative way from the page's URL to the gateway's root ({@code ../}
     * or {@code ../../}), so the page works wherever the gateway is mounted.
     */
    public record Page(String kind, String title, String description, RawString config, String assetBase) {
    }

    /** An error page's data: the status and what an end user should read. */
    public record Problem(int status, String title, String message, boolean retry, String assetBase) {
    }

    static native TemplateInstance page(Page page);

    static native TemplateInstance problem(Problem problem);
}
