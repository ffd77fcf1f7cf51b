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
 * An admitted request that queued for a worker thread longer than tollgate.http.admission.max-queue-time is refused
 * when its turn comes, 503 {@code overloaded} with {@code Retry-After} in the family's shape, and its endpoint never
 * runs; the requests that had threads complete. Here two worker threads, held by two requests, and two more queued.
 * A request as slow to start with a thread free (a fresh process's first) is worked on.
 */
@QuarkusTest
@TestProfile(QueueTimeLimitTest.TwoWorkers.class)
@WithTestResource(LocalStackTestResource.class)
class QueueTimeLimitTest {

    public static class TwoWorkers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.thread-pool.core-threads", "2", "quarkus.thread-pool.max-threads", "2",
                    "tollgate.http.admission.max-queue-time", "PT0.3S");
        }
    }

    @Test
    void aRequestThatWaitedTooLongForAWorkerIsRefusedWhenItsTurnComes() throws Exception {
        HttpRequest held = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + "/test-only/bug/held-on-a-worker")).timeout(Duration.ofSeconds(60)).build();
        HeldRequests.reset();
        List<CompletableFuture<HttpResponse<String>>> working = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
        try (HttpClient client = HttpClient.newHttpClient()) {
            long queuedAt;
            try {
                for (int i = 0; i < 2; i++) {
                    working.add(client.sendAsync(held, HttpResponse.BodyHandlers.ofString()));
                }
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> HeldRequests.held() == 2);
                for (int i = 0; i < 2; i++) {
                    queued.add(client.sendAsync(held, HttpResponse.BodyHandlers.ofString()));
                }
                queuedAt = System.nanoTime();
                // What is awaited here is time itself: the queued requests must have waited past the limit.
                Awaitility.await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                        .until(() -> System.nanoTime() - queuedAt > 600_000_000L);
                assertTrue(queued.stream().noneMatch(CompletableFuture::isDone), "queued, not answered yet");
            } finally {
                HeldRequests.releaseAll();
            }
            for (CompletableFuture<HttpResponse<String>> answer : working) {
                assertEquals(200, answer.get(60, TimeUnit.SECONDS).statusCode());
            }
            ObjectMapper json = new ObjectMapper();
            for (CompletableFuture<HttpResponse<String>> answer : queued) {
                HttpResponse<String> r = answer.get(60, TimeUnit.SECONDS);
                assertEquals(503, r.statusCode(), r.body());
                assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
                JsonNode body = json.readTree(r.body());
                assertEquals("overloaded", body.path("error").asText(), r.body());
                assertTrue(body.path("detail").asText().contains("nothing was done"), r.body());
            }
            assertEquals(2, HeldRequests.held(), "the refused requests' endpoint never ran");
        }
    }

    @Test
    void aRequestSlowToStartWhileAThreadWasFreeIsWorkedOn() throws Exception {
        HeldRequests.reset();
        // 0.6 s between its admission and Quarkus REST, twice the limit, with both worker threads free.
        HttpRequest slow = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + "/test-only/bug/held-on-a-worker")).header(SlowStartRoute.HEADER, "600")
                .timeout(Duration.ofSeconds(60)).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            CompletableFuture<HttpResponse<String>> answer = client.sendAsync(slow, HttpResponse.BodyHandlers.ofString());
            try {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> HeldRequests.held() == 1 || answer.isDone());
            } finally {
                HeldRequests.releaseAll();
            }
            HttpResponse<String> r = answer.get(60, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), "a slow start is not a queue: " + r.body());
            assertEquals(1, HeldRequests.held(), "its endpoint ran");
        }
    }
}
