package dev.tollgate.platform.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The error bodies of the two families ({@link ErrorFamily}), the only places those shapes are written down. */
public sealed interface ErrorBody {

    /**
     * {@code {"detail": "...", "error": code}}; the bare {@code {"detail": "Not authenticated"}} of a 401 has no code,
     * as the reference API's.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({ "detail", "error" })
    record Api(String detail, String error) implements ErrorBody {
    }

    /** {@code {"success": false, "error": code, "message": "...", "data": ...}}; {@code data} only where it says more. */
    @JsonPropertyOrder({ "success", "error", "message", "data" })
    record Webhooks(String error, String message, @JsonInclude(JsonInclude.Include.NON_NULL) Object data)
            implements ErrorBody {

        @JsonProperty("success")
        public boolean success() {
            return false;
        }
    }

    /** The api family's 422: FastAPI's {@code {"detail": [{"loc", "msg", "type", "input", "ctx"}]}}. */
    record Invalid(List<ValidationProblem.FieldError> detail) implements ErrorBody {
    }
}
