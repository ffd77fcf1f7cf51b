package dev.tollgate.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The two families' bodies, byte for byte as clients of the reference API parse them. */
class ErrorBodyTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theApiFamilysBodyHasDetailThenError() throws Exception {
        assertEquals("{\"detail\":\"No such product\",\"error\":\"not_found\"}",
                json.writeValueAsString(ErrorFamily.API.body("not_found", "No such product")));
        assertEquals("{\"detail\":\"Not authenticated\"}",
                json.writeValueAsString(new ErrorBody.Api("Not authenticated", null)));
    }

    @Test
    void theWebhooksFamilysBodySaysItFailedAndCarriesDataOnlyWhenThereIsSome() throws Exception {
        assertEquals("{\"success\":false,\"error\":\"not_found\",\"message\":\"No such run\"}",
                json.writeValueAsString(ErrorFamily.WEBHOOKS.body("not_found", "No such run")));
        assertEquals("{\"success\":false,\"error\":\"workflow_blocked\",\"message\":\"m\",\"data\":{\"a\":1}}",
                json.writeValueAsString(new ErrorBody.Webhooks("workflow_blocked", "m", Map.of("a", 1))));
    }

    @Test
    void aValidationProblemIsFastApisList() throws Exception {
        ValidationProblem problem = new ValidationProblem(List.of(
                ValidationProblem.FieldError.of(List.of("body", "amount"), "Field required", "missing", null)));
        assertEquals("{\"detail\":[{\"loc\":[\"body\",\"amount\"],\"msg\":\"Field required\",\"type\":\"missing\","
                + "\"input\":null,\"ctx\":{}}]}", json.writeValueAsString(new ErrorBody.Invalid(problem.errors())));
    }
}
