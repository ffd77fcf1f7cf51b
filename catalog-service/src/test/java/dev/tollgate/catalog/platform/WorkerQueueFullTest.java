package dev.tollgate.catalog.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.localstack.testing.HeldRequests;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The worker pool's task queue is bounded (quarkus.thread-pool.queue-size). What a request it refuses gets must be a
 * refusal to retry, 503 {@code overloaded} with {@code Retry-After} in the family's shape, never a 500 or Quarkus's own
 * body; and what it took must all complete. Here the pool is four threads and a queue of four, and every request holds
 * its thread until the test lets it go.
 */
@QuarkusTest
@TestProfile(WorkerQueueFullTest.SmallWorkerPool.class)
@WithTestResource(LocalStackTestResource.class)
class WorkerQueueFullTest {

    public static class SmallWorkerPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The queue-time limit off: the queued requests here wait as long as the test holds the others.
            return Map.of("quarkus.thread-pool.core-threads", "1", "quarkus.thread-pool.max-threads", "4",
                    "quarkus.thread-pool.queue-size", "4", "tollgate.http.admission.max-queue-time", "0s");
        }
    }

    private static final int SENT = 24;

    @Test
    void aRequestTheFullWorkerQueueRefusesIsA503WithRetryAfterAndTheOthersComplete() throws Exception {
        HttpRequest held = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + "/test-only/bug/held-on-a-worker")).timeout(Duration.ofSeconds(60)).build();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        HeldRequests.reset();
        List<HttpResponse<String>> refused = new ArrayList<>();
        try (HttpClient client = HttpClient.newHttpClient()) {
            try {
                for (int i = 0; i < SENT; i++) {
                    answers.add(client.sendAsync(held, HttpResponse.BodyHandlers.ofString()));
                }
                // Four on threads, four queued (fewer if Quarkus's own tasks took places): the rest are refused at once.
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> answers.stream()
                        .filter(CompletableFuture::isDone).count() >= SENT - 8);
                for (CompletableFuture<HttpResponse<String>> answer : answers) {
                    if (answer.isDone()) {
                        refused.add(answer.get());
                    }
                }
            } finally {
                HeldRequests.releaseAll();
            }
            int completed = 0;
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> r = answer.get(60, TimeUnit.SECONDS);
                if (!refused.contains(r)) {
                    assertEquals(200, r.statusCode(), r.body());
                    completed++;
                }
            }
            assertTrue(completed >= 1 && completed <= 8, "taken: " + completed);
            assertEquals(completed, HeldRequests.held(), "a refused request never ran");
        }
        ObjectMapper json = new ObjectMapper();
        for (HttpResponse<String> r : refused) {
            assertEquals(503, r.statusCode(), r.body());
            assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
            JsonNode body = json.readTree(r.body());
            assertEquals("overloaded", body.path("error").asText(), r.body());
            assertTrue(body.path("detail").asText().contains("Retry after 1 s"), r.body());
        }
    }
}
