package dev.tollgate.platform.web;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Reads request bodies ourselves rather than through the JSON provider, so that a malformed body is the contract's
 * 422 {@code json_invalid} and not the framework's bare 400.
 */
@ApplicationScoped
public class JsonBody {

    private final ObjectMapper mapper;

    @Inject
    public JsonBody(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * An optional body: empty when none was sent (no bytes, or only whitespace) or when it is the JSON {@code null},
     * else {@link #parse}d. The one place that decides what counts as "no body" for every endpoint whose body may be
     * left out. A {@code null} counts as none because that is what generated clients send for an optional body left
     * out (openapi-generator's Java client posts {@code null} with a JSON content type).
     */
    public Optional<JsonNode> parseOptional(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        JsonNode body = parse(raw);
        return body.isNull() ? Optional.empty() : Optional.of(body);
    }

    public JsonNode parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new ValidationProblem(List.of(
                    ValidationProblem.FieldError.of(List.of("body"), "Field required", "missing", null)));
        }
        try {
            return mapper.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new ValidationProblem(List.of(ValidationProblem.FieldError.of(List.of("body",
                    e.getLocation() == null ? 0 : e.getLocation().getCharOffset()), "JSON decode error", "json_invalid",
                    null)));
        }
    }
}
