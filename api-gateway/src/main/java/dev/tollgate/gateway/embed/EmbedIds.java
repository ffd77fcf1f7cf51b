package dev.tollgate.gateway.embed;

import java.util.regex.Pattern;

/**
 * What a well-formed id in an embed URL looks like. Anything else is a 400 page without asking a service, so a
 * mistyped or hostile link never becomes a look-up.
 */
final class EmbedIds {

    /** Workflows and bundles are MongoDB ObjectIds. */
    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-fA-F]{24}");
    /** A product may be named the ways the catalog resolves it: ObjectId, slug ({@code text-stats}) or function name ({@code text_stats}). */
    private static final Pattern PRODUCT_REFERENCE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,63}");

    private EmbedIds() {
    }

    static boolean isObjectId(String id) {
        return id != null && OBJECT_ID.matcher(id).matches();
    }

    static boolean isProductReference(String reference) {
        return reference != null && PRODUCT_REFERENCE.matcher(reference).matches();
    }
}
