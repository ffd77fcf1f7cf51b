package dev.tollgate.catalog.issues;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.platform.web.RequestFields;

/** The optional body of closing an issue: {@code resolution}, what was done about it. No body closes it without. */
public record CloseRequest(String resolution) {

    static final CloseRequest NONE = new CloseRequest(null);

    public static CloseRequest from(JsonNode body) {
        RequestFields f = RequestFields.ofBody(body);
        String resolution = f.optionalString("resolution", 4000);
        f.done();
        return new CloseRequest(resolution);
    }
}
