package dev.tollgate.catalog.tools;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.catalog.products.ProductAction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Waits a bounded number of seconds: pacing in workflows, and a long step to cancel in tests. */
@ApplicationScoped
public class WaitTool implements BuiltInTool {

    static final int MAX_SECONDS = 60;

    @Inject
    ObjectMapper json;

    @Override
    public String key() {
        return "wait";
    }

    @Override
    public List<ProductAction> actions() {
        return List.of(new ProductAction("wait", "Wait this many seconds (0 to " + MAX_SECONDS + "), then answer",
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
        return json.createObjectNode().put("waited_seconds", (System.nanoTime() - started) / 1e9);
    }
}
