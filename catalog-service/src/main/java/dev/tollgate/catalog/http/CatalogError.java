package dev.tollgate.catalog.http;

import dev.tollgate.platform.web.CodedError;

/** A refusal in the api family's style, {@code {"detail": message, "error": code}}, with its HTTP status. */
public class CatalogError extends CodedError {

    public CatalogError(int status, String code, String message) {
        super(status, code, message);
    }

    public static CatalogError notFound(String message) {
        return new CatalogError(404, "not_found", message);
    }

}
