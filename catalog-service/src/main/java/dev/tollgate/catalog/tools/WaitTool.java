package dev.tollgate.catalog.tools;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.enterprise.context.ApplicationScoped;

/** Waits a bounded number of seconds: pacing in workflows, and a long step to cancel in tests. */
@ApplicationScoped
public class WaitTool implements BuiltInTool {

    static final int MAX_SECONDS = 60;

    /** What {@code wait} answers (the purchase's {@code data}): how long it really waited. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Waited(double waitedSeconds) {
    }

    private final ObjectMapper json;

    public WaitTool(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public String key() {
        return "wait";
    }

    @Override
    public List<ToolAction> actions() {
        return List.of(new ToolAction("wait", "Wait this many seconds (0 to " + MAX_SECONDS + "), then answer",
                "{\"type\":\"object\",\"required\":[\"seconds\"],\"properties\":{\"seconds\":{\"type\":\"number\","
                        + "\"minimum\":0,\"maximum\":" + MAX_SECONDS + "}},\"additionalProperties\":false}"));
    }

    @Override
    public JsonNode invoke(ToolCall call) throws ToolFailure {
        double seconds = call.parameters().get("seconds").asDouble();
        long started = System.nanoTime();
        try {
            Thread.sleep((long) (seconds * 1000)); // waiting is this tool's whole job
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailure("interrupted", "The wait was interrupted");
        }
        return json.valueToTree(new Waited((System.nanoTime() - started) / 1e9));
    }
}
