package dev.tollgate.catalog.products;

/** The outcome of resolving a product reference, and which way it was found (reported back as {@code lookup_method}). */
public record ProductLookup(Product product, Method method) {

    public enum Method {
        OBJECT_ID("object_id"), SLUG("slug"), EXACT_NAME("exact_name"), NOT_FOUND("not_found");

        private final String wireName;

        Method(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public boolean found() {
        return product != null;
    }
}
