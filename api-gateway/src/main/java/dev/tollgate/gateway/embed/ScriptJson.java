package dev.tollgate.gateway.embed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.RawString;

/**
 * JSON that may sit inside {@code <script type="application/json">} whatever its strings contain. The HTML parser
 * ends a script element at the first {@code </script}, and {@code <!--} changes how it scans, so every {@code <},
 * {@code >} and {@code &} is written as a JSON unicode escape (they can only occur inside strings, where the escape
 * means the same character). U+2028 and U+2029 are escaped too, for scripts that treat the text as JavaScript.
 */
final class ScriptJson {

    private ScriptJson() {
    }

    static RawString of(Object value, ObjectMapper mapper) {
        try {
            return new RawString(escape(mapper.writeValueAsString(value)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("page configuration is not serialisable", e);
        }
    }

    static String escape(String json) {
        StringBuilder out = new StringBuilder(json.length() + 32);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
