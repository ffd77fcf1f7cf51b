package dev.tollgate.catalog.tools;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import jakarta.enterprise.context.ApplicationScoped;

/** JSONPath over a document the agent supplies: pick fields out of an API response without an LLM round trip. */
@ApplicationScoped
public class JsonQueryTool implements BuiltInTool {

    /** What {@code query} answers (the purchase's {@code data}): the path asked and what it selected, in order. */
    public record Selection(String path, JsonNode matches) {
    }

    private final ObjectMapper json;

    public JsonQueryTool(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public String key() {
        return "json_query";
    }

    @Override
    public List<ToolAction> actions() {
        return List.of(new ToolAction("query", "Every value in `document` that the JSONPath `path` selects",
                "{\"type\":\"object\",\"required\":[\"document\",\"path\"],\"properties\":{\"document\":{},"
                        + "\"path\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1000,\"examples\":[\"$.items[*].id\"]}},"
                        + "\"additionalProperties\":false}"));
    }

    @Override
    public JsonNode invoke(ToolCall call) throws ToolFailure {
        if (!"query".equals(call.action())) {
            throw new ToolFailure("unknown_action", "json_query has no action " + call.action());
        }
        Configuration conf = Configuration.builder().jsonProvider(new JacksonJsonNodeJsonProvider(json))
                .mappingProvider(new JacksonMappingProvider(json)).options(Option.ALWAYS_RETURN_LIST,
                        Option.SUPPRESS_EXCEPTIONS).build();
        String path = call.parameters().get("path").asText();
        try {
            JsonNode matches = JsonPath.using(conf).parse(call.parameters().get("document")).read(path);
            return json.valueToTree(new Selection(path, matches == null ? json.createArrayNode() : matches));
        } catch (InvalidPathException e) {
            throw new ToolFailure("invalid_path", "Not a JSONPath expression: " + e.getMessage());
        }
    }
}
