package dev.tollgate.e2e.hostile;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.e2e.hostile.FuzzTargets.Operation;
import dev.tollgate.e2e.hostile.HostilePlatform.Caller;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Tuple;

/**
 * Malformed requests for one operation, drawn from jqwik arbitraries with the test's seeded {@link Random} (so a run
 * is replayed from its seed): callers, path ids, query and header values, bodies built from the operation's schema
 * and then broken (wrong types, missing and extra fields, huge and tiny numbers, long and odd strings), bodies that
 * are not JSON or not an object, wrong content types, and bodies over the limit, declared or streamed.
 */
final class FuzzInputs {

    /** One request to send. {@code traversal}: a path id with dot segments, which may resolve to another path. */
    record Case(Operation operation, Caller caller, String path, Map<String, String> headers, String contentType,
            byte[] body, boolean chunked, boolean traversal) {

        String describe() {
            String shown = body == null ? "(none)" : new String(body, 0, Math.min(body.length, 300),
                    StandardCharsets.UTF_8) + (body.length > 300 ? "... (" + body.length + " bytes)" : "");
            return operation.method() + " " + path + " as " + caller + ", Content-Type " + contentType + ", headers "
                    + headers + (chunked ? ", chunked" : "") + ", body " + shown;
        }
    }

    enum BodyKind {
        SCHEMA, BROKEN_SCHEMA, ANY_JSON, NOT_JSON, NONE, DEEP, OVERSIZED, OVERSIZED_STREAMED
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonNode document;
    private final Map<String, String> realIds;
    private final Map<Arbitrary<?>, RandomGenerator<?>> generators = new HashMap<>();

    private final Arbitrary<Caller> callers = Arbitraries.frequency(Tuple.of(1, Caller.NONE), Tuple.of(4, Caller.OWNER),
            Tuple.of(4, Caller.ADMIN), Tuple.of(1, Caller.OTHER_USER), Tuple.of(1, Caller.USER),
            Tuple.of(1, Caller.SERVICE));
    private final Arbitrary<BodyKind> bodyKinds = Arbitraries.frequency(Tuple.of(3, BodyKind.SCHEMA),
            Tuple.of(8, BodyKind.BROKEN_SCHEMA), Tuple.of(3, BodyKind.ANY_JSON), Tuple.of(2, BodyKind.NOT_JSON),
            Tuple.of(2, BodyKind.NONE), Tuple.of(1, BodyKind.DEEP), Tuple.of(1, BodyKind.OVERSIZED),
            Tuple.of(1, BodyKind.OVERSIZED_STREAMED));
    private final Arbitrary<String> contentTypes = Arbitraries.frequency(Tuple.of(12, "application/json"),
            Tuple.of(2, "application/json; charset=utf-8"), Tuple.of(1, "text/plain"), Tuple.of(1, "application/xml"),
            Tuple.of(1, "application/x-www-form-urlencoded"), Tuple.of(1, "application/merge-patch+json"),
            Tuple.of(2, ""));
    private final Arbitrary<String> oddStrings = Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(40),
            Arbitraries.strings().withChars("./\\%$\u0000\u202e\ud800{}[]\"'<>&;|` ").ofMaxLength(24),
            Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(24),
            Arbitraries.strings().alpha().ofLength(5000),
            Arbitraries.of("", " ", "null", "true", "0", "-1", "NaN", "${jndi:ldap://127.0.0.1/x}", "{{7*7}}",
                    "{prompt.getClass()}", "'; drop table runs; --", "<script>alert(1)</script>", "\u0000",
                    "https://169.254.169.254/latest", "http://127.0.0.1:1/", "../../internal/products",
                    "%2e%2e%2f%2e%2e%2finternal", "tg_not_a_key"));
    private final Arbitrary<Object> numbers = Arbitraries.oneOf(
            Arbitraries.integers().map(i -> (Object) i),
            Arbitraries.longs().map(l -> (Object) l),
            Arbitraries.doubles().map(d -> (Object) d),
            Arbitraries.bigIntegers().between(BigInteger.TEN.pow(20), BigInteger.TEN.pow(400)).map(b -> (Object) b),
            Arbitraries.of(0, -1, 1, Integer.MAX_VALUE, Long.MIN_VALUE, 1.5, -0.0, 1e308,
                    new BigDecimal("1e-400"), new BigDecimal("9.99e999")));
    private final Arbitrary<String> queryValues = Arbitraries.oneOf(
            Arbitraries.integers().between(-5, 200).map(String::valueOf),
            Arbitraries.of("", " 1", "+1", "1%00", "2147483648", "99999999999999999999", "-1", "0", "1.5", "1e3",
                    "0x10", "abc", "%ff", "1,2"),
            Arbitraries.strings().all().ofMaxLength(20));
    private final Arbitrary<String> pathIds = Arbitraries.frequency(
            Tuple.of(3, "real"), Tuple.of(3, "objectid"), Tuple.of(4, "odd"), Tuple.of(1, "traversal"),
            Tuple.of(1, "long"));
    private final Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdef").ofLength(24);
    private final Arbitrary<Integer> mutations = Arbitraries.integers().between(0, 6);
    private final Arbitrary<Integer> small = Arbitraries.integers().between(0, 3);
    private final Arbitrary<Boolean> coin = Arbitraries.of(true, false);

    FuzzInputs(JsonNode document, Map<String, String> realIds) {
        this.document = document;
        this.realIds = realIds;
    }

    @SuppressWarnings("unchecked")
    private <T> T draw(Arbitrary<T> arbitrary, Random random) {
        RandomGenerator<T> generator = (RandomGenerator<T>) generators.computeIfAbsent(arbitrary,
                a -> a.generator(1000));
        return generator.next(random).value();
    }

    Case next(Operation op, Random random) {
        Caller caller = draw(callers, random);
        boolean[] traversal = { false };
        StringBuilder path = new StringBuilder();
        for (String segment : op.path().substring(1).split("/")) {
            path.append('/');
            if (segment.startsWith("{")) {
                path.append(pathId(op, segment.substring(1, segment.length() - 1), random, traversal));
            } else {
                path.append(segment);
            }
        }
        Map<String, String> headers = new HashMap<>();
        List<String> query = new ArrayList<>();
        for (JsonNode parameter : op.parameters()) {
            String in = parameter.path("in").asText();
            String name = parameter.path("name").asText();
            if (in.equals("query") && draw(coin, random)) {
                query.add(encode(name) + "=" + encode(draw(queryValues, random)));
            } else if (in.equals("header") && draw(coin, random)) {
                String value = draw(queryValues, random).replaceAll("[\\p{Cntrl}\\r\\n]", "");
                if (!value.isEmpty() && value.chars().allMatch(c -> c < 127)) {
                    headers.put(name, value);
                }
            }
        }
        if (op.method().equals("POST") && (op.path().contains("purchase") || op.path().contains("grants"))
                && draw(coin, random)) {
            headers.put("Idempotency-Key", "fuzz-" + draw(hex, random));
        }
        if (!query.isEmpty()) {
            path.append('?').append(String.join("&", query));
        }
        String contentType = draw(contentTypes, random);
        BodyKind kind = op.method().equals("GET") || op.method().equals("DELETE") ? BodyKind.NONE
                : draw(bodyKinds, random);
        byte[] body = switch (kind) {
            case SCHEMA -> bytes(fromSchema(op.bodySchema(), random, 0));
            case BROKEN_SCHEMA -> bytes(broken(fromSchema(op.bodySchema(), random, 0), random));
            case ANY_JSON -> bytes(anyJson(random, 0));
            case NOT_JSON -> draw(oddStrings, random).getBytes(StandardCharsets.UTF_8);
            case NONE -> null;
            case DEEP -> ("[".repeat(20_000) + "]".repeat(20_000)).getBytes(StandardCharsets.UTF_8);
            case OVERSIZED, OVERSIZED_STREAMED -> ("{\"prompt\":\"" + "a".repeat(1024 * 1024 + 100) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        };
        return new Case(op, caller, path.toString(), headers, contentType.isEmpty() ? null : contentType, body,
                kind == BodyKind.OVERSIZED_STREAMED, traversal[0]);
    }

    private String pathId(Operation op, String name, Random random, boolean[] traversal) {
        String kind = draw(pathIds, random);
        // Real ids only where reading: a fuzzed write must not change the resources the matrix test relies on.
        if (kind.equals("real") && op.method().equals("GET") && realIds.containsKey(name)) {
            return realIds.get(name);
        }
        return switch (kind) {
            case "objectid", "real" -> draw(hex, random);
            case "traversal" -> {
                traversal[0] = true;
                yield draw(Arbitraries.of("..", "%2e%2e", "..%2f..%2finternal", "%2e%2e%2f", "a%2fb", ".",
                        "..;", "%252e%252e"), random);
            }
            case "long" -> "x".repeat(300 + draw(small, random) * 1000);
            default -> {
                String odd = draw(oddStrings, random);
                // URLEncoder leaves dots: "." and ".." are dot segments, which may resolve into another path
                traversal[0] |= odd.matches("\\.+");
                yield odd.isEmpty() ? "x" : encode(odd.length() > 500 ? odd.substring(0, 500) : odd);
            }
        };
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A value meant to meet {@code schema} (types, required fields, enums), with odd contents. */
    JsonNode fromSchema(JsonNode schemaOrRef, Random random, int depth) {
        JsonNode schema = schemaOrRef == null ? NODES.objectNode() : FuzzTargets.resolve(document, schemaOrRef);
        if (depth > 6) {
            return NODES.nullNode();
        }
        if (schema.has("enum") && schema.get("enum").size() > 0) {
            return schema.get("enum").get(draw(Arbitraries.integers().between(0, schema.get("enum").size() - 1), random));
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        for (String combined : List.of("oneOf", "anyOf", "allOf")) {
            if (schema.path(combined).isArray() && schema.get(combined).size() > 0) {
                return fromSchema(schema.get(combined).get(0), random, depth + 1);
            }
        }
        String type = schema.path("type").isArray() ? schema.path("type").get(0).asText() : schema.path("type").asText("object");
        return switch (type) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                JsonNode properties = schema.path("properties");
                for (Iterator<String> it = properties.fieldNames(); it.hasNext();) {
                    String name = it.next();
                    boolean required = false;
                    for (JsonNode r : schema.path("required")) {
                        required |= r.asText().equals(name);
                    }
                    if (required || draw(coin, random)) {
                        object.set(name, fromSchema(properties.get(name), random, depth + 1));
                    }
                }
                yield object;
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                int n = draw(small, random);
                for (int i = 0; i < n; i++) {
                    array.add(fromSchema(schema.path("items"), random, depth + 1));
                }
                yield array;
            }
            case "integer" -> NODES.numberNode(draw(Arbitraries.integers().between(0, 100), random));
            case "number" -> NODES.numberNode(draw(Arbitraries.doubles().between(0, 100), random));
            case "boolean" -> NODES.booleanNode(draw(coin, random));
            case "null" -> NODES.nullNode();
            default -> NODES.textNode(draw(Arbitraries.oneOf(oddStrings,
                    Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12)), random));
        };
    }

    /** {@code valid} broken in a few places: a field of another type, a required one gone, an extra one, a huge one. */
    JsonNode broken(JsonNode valid, Random random) {
        if (!valid.isObject() || valid.isEmpty()) {
            return anyJson(random, 0);
        }
        ObjectNode object = (ObjectNode) valid.deepCopy();
        int n = 1 + draw(small, random);
        for (int i = 0; i < n; i++) {
            List<String> fields = new ArrayList<>();
            object.fieldNames().forEachRemaining(fields::add);
            String field = fields.isEmpty() ? "extra" : fields.get(draw(Arbitraries.integers().between(0,
                    fields.size() - 1), random));
            switch (draw(mutations, random)) {
                case 0 -> object.remove(field);
                case 1 -> object.set(field, NODES.pojoNode(draw(numbers, random)));
                case 2 -> object.put(field, draw(oddStrings, random));
                case 3 -> object.set(field, anyJson(random, 0));
                case 4 -> object.put("$" + draw(oddStrings, random), "x");
                case 5 -> object.putNull(field);
                default -> object.put(draw(oddStrings, random), draw(oddStrings, random));
            }
        }
        return object;
    }

    /** Any JSON value, a few levels deep. */
    JsonNode anyJson(Random random, int depth) {
        int choice = draw(Arbitraries.integers().between(0, depth > 3 ? 3 : 5), random);
        return switch (choice) {
            case 0 -> NODES.textNode(draw(oddStrings, random));
            case 1 -> NODES.pojoNode(draw(numbers, random));
            case 2 -> NODES.booleanNode(draw(coin, random));
            case 3 -> NODES.nullNode();
            case 4 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = draw(small, random); i > 0; i--) {
                    array.add(anyJson(random, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = draw(small, random); i > 0; i--) {
                    object.set(draw(oddStrings, random), anyJson(random, depth + 1));
                }
                yield object;
            }
        };
    }
}
