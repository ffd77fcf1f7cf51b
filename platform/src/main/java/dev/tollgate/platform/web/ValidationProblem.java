package dev.tollgate.platform.web;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A 422 in the "api" family's shape (FastAPI's): {@code {"detail":[{"loc":[...],"msg":...,"type":...,"input":...,
 * "ctx":{}}]}}. Clients written against the reference API parse {@code loc} to find the offending field.
 */
public class ValidationProblem extends RuntimeException {

    private final transient List<FieldError> errors;

    public ValidationProblem(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid request" : errors.getFirst().msg(), null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    @JsonPropertyOrder({ "loc", "msg", "type", "input", "ctx" })
    public record FieldError(List<Object> loc, String msg, String type, Object input, Map<String, Object> ctx) {

        public FieldError {
            ctx = ctx == null ? Map.of() : ctx;
        }

        public static FieldError of(List<Object> loc, String msg, String type, Object input) {
            return new FieldError(loc, msg, type, input, Map.of());
        }
    }
}
