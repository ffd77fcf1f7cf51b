package dev.tollgate.catalog.http;

/** A refusal in the api family's style, {@code {"detail": message, "error": code}}, with its HTTP status. */
public class CatalogError extends RuntimeException {

    private final int status;
    private final String code;

    public CatalogError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static CatalogError notFound(String message) {
        return new CatalogError(404, "not_found", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
