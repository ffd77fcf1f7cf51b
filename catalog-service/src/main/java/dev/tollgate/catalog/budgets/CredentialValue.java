package dev.tollgate.catalog.budgets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.platform.web.RequestFields;

/**
 * The body that gives a budget a credential's {@code value}: storing it directly, or approving the approval request
 * that asked for it.
 */
public record CredentialValue(String value) {

    static final int MAX_LENGTH = 8192;

    public static CredentialValue from(JsonNode body) {
        RequestFields f = RequestFields.ofBody(body);
        String value = f.requiredString("value", MAX_LENGTH);
        f.done();
        return new CredentialValue(value);
    }
}
