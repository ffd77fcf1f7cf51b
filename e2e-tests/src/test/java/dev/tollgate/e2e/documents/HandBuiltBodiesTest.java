package dev.tollgate.e2e.documents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Issue 18: answers, request bodies and events are records, so main code builds no JSON by hand. Read from the
 * sources of every service and the platform library: each {@code .put("...")} and each non-empty {@code Map.of(...)}
 * must be one of the uses listed here, file by file and counted (HTTP headers, MongoDB documents, the run's free-form
 * {@code run_metadata}, a tool's parameters, client settings, the 422 {@code ctx} objects). A new one fails the test;
 * so does one that went away (the list only shrinks: take it out).
 */
class HandBuiltBodiesTest {

    private static final List<String> MODULES = List.of("credits-service", "catalog-service", "workflow-service",
            "callback-service", "api-gateway", "platform");
    private static final Pattern PUT = Pattern.compile("\\.put\\(\"");
    private static final Pattern MAP_OF = Pattern.compile("Map\\.of\\((?!\\))");

    /** File (below {@code src/main/java/dev/tollgate/}) to how many {@code .put("} it may hold, and why. */
    private static final Map<String, Allowed> PUTS = Map.of(
            "credits/ledger/AccountRepository.java", new Allowed(1, "the version of a MongoDB document"),
            "credits/ledger/AccountDocuments.java", new Allowed(1, "the _id of a MongoDB document"),
            "catalog/fetch/ToolGuide.java", new Allowed(1, "an example of a tool's parameters"),
            "workflow/worker/StepRunner.java", new Allowed(2, "a tool step's parameters and a request header"),
            "workflow/worker/RunWorker.java", new Allowed(4, "the run's free-form run_metadata"),
            "callback/delivery/DeliveryAttempts.java", new Allowed(5, "the callback POST's headers"),
            "platform/egress/AddressPolicy.java", new Allowed(7, "the table of refused address ranges"));

    /** File to how many non-empty {@code Map.of(} it may hold, and why. */
    private static final Map<String, Allowed> MAPS = Map.ofEntries(
            Map.entry("catalog/purchases/PurchaseService.java", new Allowed(1, "a 422 problem's ctx")),
            Map.entry("catalog/tools/VendorTools.java", new Allowed(1, "the vendor call's headers")),
            Map.entry("catalog/tools/TextStatsTool.java", new Allowed(1, "the tool's table of extractors")),
            Map.entry("workflow/worker/RunRequestListener.java", new Allowed(1, "Kafka consumer settings")),
            Map.entry("workflow/watch/RunChangeFeed.java", new Allowed(1, "Kafka consumer settings")),
            Map.entry("workflow/worker/StepRunner.java", new Allowed(1, "a model call's headers")),
            Map.entry("workflow/worker/RunWorker.java", new Allowed(1, "a step's line in the free-form run_metadata")),
            Map.entry("workflow/outbox/RunOutbox.java", new Allowed(1, "one run's entry for the relay")),
            Map.entry("workflow/outbox/OutboxRelay.java", new Allowed(1, "one run's entry for the relay")),
            Map.entry("workflow/runs/RunService.java", new Allowed(1, "the run's free-form run_metadata")),
            Map.entry("workflow/admission/RunQueueLag.java", new Allowed(1, "Kafka admin client settings")),
            Map.entry("workflow/admission/RunQueueAdmission.java", new Allowed(1, "Kafka admin client settings")),
            Map.entry("gateway/embed/EmbedPages.java", new Allowed(1, "the embed page's security headers")),
            Map.entry("platform/web/RequestFields.java", new Allowed(10, "422 problems' ctx, as FastAPI gives it")));

    private record Allowed(int count, String why) {
    }

    @Test
    void noAnswerIsBuiltWithPut() throws IOException {
        assertEquals(expected(PUTS), found(PUT), ".put(\" in main code: build a record instead, or list the use");
    }

    @Test
    void noRequestBodyIsAMapOf() throws IOException {
        assertEquals(expected(MAPS), found(MAP_OF), "Map.of(...) in main code: build a record instead, or list the use");
    }

    @Test
    void theScanSeesAHandBuiltAnswer() {
        String source = """
                ObjectNode answer = mapper.createObjectNode();
                answer.put("success", true);
                return client.post(url, Map.of("user_id", id));""";
        assertEquals(1, count(PUT, source));
        assertEquals(1, count(MAP_OF, source));
        assertEquals(0, count(MAP_OF, "return x == null ? Map.of() : x;"));
    }

    private static Map<String, Integer> expected(Map<String, Allowed> allowed) {
        return new TreeMap<>(allowed.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().count())));
    }

    private static Map<String, Integer> found(Pattern pattern) throws IOException {
        Map<String, Integer> found = new TreeMap<>();
        for (String module : MODULES) {
            Path root = Path.of("..", module, "src", "main", "java", "dev", "tollgate");
            assertTrue(Files.isDirectory(root), "the module's sources: " + root.toAbsolutePath());
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    int n = count(pattern, Files.readString(file));
                    if (n > 0) {
                        found.put(root.relativize(file).toString().replace('\\', '/'), n);
                    }
                }
            }
        }
        return found;
    }

    private static int count(Pattern pattern, String text) {
        int n = 0;
        for (Matcher m = pattern.matcher(text); m.find(); ) {
            n++;
        }
        return n;
    }
}
