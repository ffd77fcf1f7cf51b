package dev.tollgate.catalog.tools;

import java.util.ArrayList;
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
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.enterprise.context.ApplicationScoped;

/** Counts and extracts: what an agent needs before summarising or routing a text. */
@ApplicationScoped
public class TextStatsTool implements BuiltInTool {

    static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");
    static final Pattern SENTENCE_END = Pattern.compile("[.!?]+(\\s|$)");
    static final Map<String, Pattern> EXTRACTORS = Map.of(
            "emails", Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"),
            "urls", Pattern.compile("https?://[^\\s<>\"')]+"),
            "numbers", Pattern.compile("-?\\d+(?:[.,]\\d+)?"));

    /** What {@code analyze} answers (the purchase's {@code data}). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Analysis(int characters, int words, int sentences, int lines, List<WordCount> topWords) {
    }

    public record WordCount(String word, long count) {
    }

    /** What {@code extract} answers. */
    public record Extraction(String kind, List<String> items) {
    }

    private final ObjectMapper json;

    public TextStatsTool(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public String key() {
        return "text_stats";
    }

    @Override
    public List<ToolAction> actions() {
        String text = "\"text\":{\"type\":\"string\",\"maxLength\":200000}";
        return List.of(
                new ToolAction("analyze", "Characters, words, sentences, lines and the most frequent words",
                        "{\"type\":\"object\",\"required\":[\"text\"],\"properties\":{" + text
                                + ",\"top\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":50}},\"additionalProperties\":false}"),
                new ToolAction("extract", "Every email address, URL or number in the text, in order, without repeats",
                        "{\"type\":\"object\",\"required\":[\"text\",\"kind\"],\"properties\":{" + text
                                + ",\"kind\":{\"enum\":[\"emails\",\"urls\",\"numbers\"]}},\"additionalProperties\":false}"));
    }

    @Override
    public JsonNode invoke(ToolCall call) throws ToolFailure {
        String text = call.parameters().get("text").asText();
        Object answer = switch (call.action()) {
            case "analyze" -> {
                List<String> words = matches(WORD, text).stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
                int top = call.parameters().path("top").asInt(5);
                List<WordCount> frequent = words.stream().collect(Collectors.groupingBy(w -> w, Collectors.counting()))
                        .entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                                .thenComparing(Map.Entry.comparingByKey()))
                        .limit(top)
                        .map(e -> new WordCount(e.getKey(), e.getValue()))
                        .toList();
                yield new Analysis(text.codePointCount(0, text.length()), words.size(),
                        text.isBlank() ? 0 : Math.max(1, matches(SENTENCE_END, text.strip()).size()),
                        text.isEmpty() ? 0 : text.split("\\R", -1).length, frequent);
            }
            case "extract" -> {
                String kind = call.parameters().get("kind").asText();
                Set<String> found = new LinkedHashSet<>(matches(EXTRACTORS.get(kind), text));
                yield new Extraction(kind, List.copyOf(found));
            }
            default -> throw new ToolFailure("unknown_action", "text_stats has no action " + call.action());
        };
        return json.valueToTree(answer);
    }

    private static List<String> matches(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
