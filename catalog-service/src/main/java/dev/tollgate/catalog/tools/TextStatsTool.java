package dev.tollgate.catalog.tools;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.catalog.products.ProductAction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Counts and extracts: what an agent needs before summarising or routing a text. */
@ApplicationScoped
public class TextStatsTool implements BuiltInTool {

    static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");
    static final Pattern SENTENCE_END = Pattern.compile("[.!?]+(\\s|$)");
    static final Map<String, Pattern> EXTRACTORS = Map.of(
            "emails", Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"),
            "urls", Pattern.compile("https?://[^\\s<>\"')]+"),
            "numbers", Pattern.compile("-?\\d+(?:[.,]\\d+)?"));

    @Inject
    ObjectMapper json;

    @Override
    public String key() {
        return "text_stats";
    }

    @Override
    public List<ProductAction> actions() {
        String text = "\"text\":{\"type\":\"string\",\"maxLength\":200000}";
        return List.of(
                new ProductAction("analyze", "Characters, words, sentences, lines and the most frequent words",
                        "{\"type\":\"object\",\"required\":[\"text\"],\"properties\":{" + text
                                + ",\"top\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":50}},\"additionalProperties\":false}"),
                new ProductAction("extract", "Every email address, URL or number in the text, in order, without repeats",
                        "{\"type\":\"object\",\"required\":[\"text\",\"kind\"],\"properties\":{" + text
                                + ",\"kind\":{\"enum\":[\"emails\",\"urls\",\"numbers\"]}},\"additionalProperties\":false}"));
    }

    @Override
    public JsonNode invoke(ToolCall call) throws ToolFailure {
        String text = call.parameters().get("text").asText();
        ObjectNode result = json.createObjectNode();
        switch (call.action()) {
            case "analyze" -> {
                List<String> words = matches(WORD, text).stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
                int top = call.parameters().path("top").asInt(5);
                result.put("characters", text.codePointCount(0, text.length()));
                result.put("words", words.size());
                result.put("sentences", text.isBlank() ? 0 : Math.max(1, matches(SENTENCE_END, text.strip()).size()));
                result.put("lines", text.isEmpty() ? 0 : text.split("\\R", -1).length);
                var frequent = result.putArray("top_words");
                words.stream().collect(Collectors.groupingBy(w -> w, Collectors.counting())).entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                                .thenComparing(Map.Entry.comparingByKey()))
                        .limit(top)
                        .forEach(e -> frequent.addObject().put("word", e.getKey()).put("count", e.getValue()));
            }
            case "extract" -> {
                String kind = call.parameters().get("kind").asText();
                Set<String> found = new LinkedHashSet<>(matches(EXTRACTORS.get(kind), text));
                result.put("kind", kind);
                var items = result.putArray("items");
                found.forEach(items::add);
            }
            default -> throw new ToolFailure("unknown_action", "text_stats has no action " + call.action());
        }
        return result;
    }

    private static List<String> matches(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
