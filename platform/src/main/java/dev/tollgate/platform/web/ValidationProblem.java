package dev.tollgate.platform.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    public Map<String, Object> body() {
        return Map.of("detail", errors.stream().map(FieldError::toJson).toList());
    }

    public record FieldError(List<Object> loc, String msg, String type, Object input, Map<String, Object> ctx) {

        public static FieldError of(List<Object> loc, String msg, String type, Object input) {
            return new FieldError(loc, msg, type, input, Map.of());
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("loc", loc);
            json.put("msg", msg);
            json.put("type", type);
            json.put("input", input);
            json.put("ctx", ctx == null ? Map.of() : ctx);
            return json;
        }
    }
}
