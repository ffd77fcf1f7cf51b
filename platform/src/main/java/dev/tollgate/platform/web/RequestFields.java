package dev.tollgate.platform.web;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.platform.web.ValidationProblem.FieldError;

/**
 * Reads typed fields out of a JSON body or query string, collecting every problem (not just the first) with a
 * {@code loc} pointing at the field, the way the reference API reports them. Call {@link #done()} at the end.
 */
public final class RequestFields {

    /** The latest instant a datetime field may hold: the first of the five-digit years. */
    public static final Instant LATEST_INSTANT = Instant.parse("9999-12-31T23:59:59Z").plusSeconds(1);

    private static final Pattern STRICT_INTEGER = Pattern.compile("-?[0-9]{1,10}");

    private final JsonNode body;
    private final List<FieldError> errors = new ArrayList<>();

    private RequestFields(JsonNode body) {
        this.body = body;
    }

    /** Starts reading a JSON body, which must be an object. */
    public static RequestFields ofBody(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ValidationProblem(List.of(FieldError.of(List.of("body"), "Input should be a valid dictionary",
                    "model_attributes_type", body)));
        }
        return new RequestFields(body);
    }

    public String requiredString(String field, int maxLength) {
        return string(field, maxLength, true, null);
    }

    public String requiredString(String field, int maxLength, Pattern pattern) {
        return string(field, maxLength, true, pattern);
    }

    public String optionalString(String field, int maxLength) {
        return string(field, maxLength, false, null);
    }

    public Long requiredPositive(String field, long max) {
        return positive(field, max, true);
    }

    public Long optionalPositive(String field, long max) {
        return positive(field, max, false);
    }

    /** A whole number from 0 to {@code max} (a price may be zero). */
    public Long requiredNonNegative(String field, long max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            errors.add(FieldError.of(loc(field), "Field required", "missing", body));
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0 || node.asLong() > max) {
            errors.add(new FieldError(loc(field), "Input should be a whole number from 0 to " + max, "int_range",
                    node, Map.of("ge", 0, "le", max)));
            return null;
        }
        return node.asLong();
    }

    /** The raw node of a field, for structures the caller checks itself; records {@code missing} if required. */
    public JsonNode node(String field, boolean required) {
        JsonNode node = body.get(field);
        if ((node == null || node.isNull()) && required) {
            errors.add(FieldError.of(loc(field), "Field required", "missing", body));
        }
        return node == null || node.isNull() ? null : node;
    }

    /** Records a problem found by the caller at {@code loc} (below {@code body}). */
    public void problem(List<Object> locBelowBody, String msg, String type, Object input) {
        List<Object> loc = new ArrayList<>();
        loc.add("body");
        loc.addAll(locBelowBody);
        errors.add(FieldError.of(loc, msg, type, input));
    }

    public Instant optionalFutureInstant(String field, Instant now) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(FieldError.of(loc(field), "Input should be a valid datetime", "datetime_type", node));
            return null;
        }
        try {
            Instant value = OffsetDateTime.parse(node.asText()).toInstant();
            if (!value.isAfter(now)) {
                errors.add(new FieldError(loc(field), "Datetime should be in the future", "datetime_future", node,
                        Map.of()));
                return null;
            }
            if (!value.isBefore(LATEST_INSTANT)) {
                // Stored as a BSON date (milliseconds in a long): "+999999999-12-31T23:59:59Z" parses, then overflowed.
                errors.add(new FieldError(loc(field), "Datetime should be before " + LATEST_INSTANT, "less_than", node,
                        Map.of("lt", LATEST_INSTANT.toString())));
                return null;
            }
            return value;
        } catch (DateTimeParseException e) {
            errors.add(FieldError.of(loc(field), "Input should be a valid ISO-8601 datetime with an offset",
                    "datetime_from_date_parsing", node));
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> optionalObject(String field, ObjectMapper mapper) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(FieldError.of(loc(field), "Input should be a valid dictionary", "dict_type", node));
            return null;
        }
        return mapper.convertValue(node, Map.class);
    }

    /** Throws the collected problems as one 422, if there are any. */
    public void done() {
        if (!errors.isEmpty()) {
            throw new ValidationProblem(errors);
        }
    }

    private String string(String field, int maxLength, boolean required, Pattern pattern) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(FieldError.of(loc(field), "Field required", "missing", body));
            }
            return null;
        }
        if (!node.isTextual()) {
            errors.add(FieldError.of(loc(field), "Input should be a valid string", "string_type", node));
            return null;
        }
        String value = node.asText();
        if (value.isBlank()) {
            errors.add(new FieldError(loc(field), "String should have at least 1 character", "string_too_short", node,
                    Map.of("min_length", 1)));
            return null;
        }
        if (value.length() > maxLength) {
            errors.add(new FieldError(loc(field), "String should have at most " + maxLength + " characters",
                    "string_too_long", null, Map.of("max_length", maxLength)));
            return null;
        }
        if (pattern != null && !pattern.matcher(value).matches()) {
            errors.add(new FieldError(loc(field), "String should match pattern '" + pattern.pattern() + "'",
                    "string_pattern_mismatch", node, Map.of("pattern", pattern.pattern())));
            return null;
        }
        return value;
    }

    private Long positive(String field, long max, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(FieldError.of(loc(field), "Field required", "missing", body));
            }
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            errors.add(FieldError.of(loc(field), "Input should be a valid integer", "int_type", node));
            return null;
        }
        long value = node.asLong();
        if (value <= 0) {
            errors.add(new FieldError(loc(field), "Input should be greater than 0", "greater_than", node,
                    Map.of("gt", 0)));
            return null;
        }
        if (value > max) {
            errors.add(new FieldError(loc(field), "Input should be less than or equal to " + max, "less_than_equal",
                    node, Map.of("le", max)));
            return null;
        }
        return value;
    }

    private static List<Object> loc(String field) {
        return List.of("body", field);
    }

    /** A query parameter that must be a whole number within bounds; {@code null} or absent gives the default. */
    public static int queryInt(String name, String raw, int defaultValue, int min, int max) {
        return boundedInt(List.of("query", name), raw, defaultValue, min, max);
    }

    /** A whole number within bounds read from a query parameter or header at {@code loc}; absent gives the default. */
    public static int boundedInt(List<Object> loc, String raw, int defaultValue, int min, int max) {
        if (raw == null) {
            return defaultValue;
        }
        int value;
        try {
            // Digits only, as a query or header value is sent: Integer.parseInt alone takes "+1", and trim() took
            // " 1" and "1%00" (a NUL is below a space).
            if (!STRICT_INTEGER.matcher(raw).matches()) {
                throw new NumberFormatException(raw);
            }
            value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new ValidationProblem(List.of(FieldError.of(loc,
                    "Input should be a valid integer, unable to parse string as an integer", "int_parsing", raw)));
        }
        if (value < min) {
            throw new ValidationProblem(List.of(new FieldError(loc, "Input should be greater than or equal to " + min,
                    "greater_than_equal", raw, Map.of("ge", min))));
        }
        if (value > max) {
            throw new ValidationProblem(List.of(new FieldError(loc, "Input should be less than or equal to " + max,
                    "less_than_equal", raw, Map.of("le", max))));
        }
        return value;
    }

    /** A required header such as {@code Idempotency-Key}. */
    public static String requiredHeader(String name, String value, int maxLength) {
        List<Object> loc = List.of("header", name.toLowerCase(Locale.ROOT));
        if (value == null || value.isBlank()) {
            throw new ValidationProblem(List.of(FieldError.of(loc, "Field required", "missing", null)));
        }
        if (value.length() > maxLength) {
            throw new ValidationProblem(List.of(new FieldError(loc, "String should have at most " + maxLength
                    + " characters", "string_too_long", null, Map.of("max_length", maxLength))));
        }
        return value;
    }
}
