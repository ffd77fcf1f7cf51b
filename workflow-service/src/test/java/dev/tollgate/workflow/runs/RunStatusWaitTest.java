package dev.tollgate.workflow.runs;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
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
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.workflow.support.CatalogServiceResource;
import dev.tollgate.workflow.support.Fixtures;
import dev.tollgate.workflow.watch.RunChangeFeed;
import dev.tollgate.workflow.watch.RunWatchers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The status long-poll ({@code ?wait_seconds}) and the event stream, woken by the run's lifecycle events. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
class RunStatusWaitTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RunWatchers watchers;

    @Inject
    RunChangeFeed feed;

    private String workflow;
    private Fixtures.User user;

    @BeforeEach
    void aUserWithAQueuedRunAndTheFeedReading() {
        await().atMost(Duration.ofSeconds(20)).until(feed::isPositioned);
        workflow = Fixtures.templateWorkflow(List.of());
        user = Fixtures.user(workflow);
    }

    @Test
    void aWaitingStatusReadAnswersAsSoonAsTheRunChanges() throws Exception {
        String runId = queuedRun();
        int before = watchers.watching();
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> given().auth().oauth2(user.token())
                .queryParam("wait_seconds", 30).get("/api/agent-webhooks/runs/" + runId));
        await().atMost(Duration.ofSeconds(10)).until(() -> watchers.watching() > before);
        assertTrue(!waiting.isDone(), "a queued run that does not change keeps the request waiting");

        given().auth().oauth2(user.token()).post("/api/agent-webhooks/runs/" + runId + "/cancel").then()
                .statusCode(200);
        long cancelled = System.nanoTime();
        Response answer = waiting.get(10, TimeUnit.SECONDS);
        long afterChangeMs = (System.nanoTime() - cancelled) / 1_000_000;

        answer.then().statusCode(200).body("success", equalTo(true)).body("data.run.run_id", equalTo(runId))
                .body("data.run.status", equalTo("cancelled"));
        // Loosely: the benchmark measures it (milliseconds); here only "woken by the change, not by the 30 s limit".
        assertTrue(afterChangeMs < 3000, "answered " + afterChangeMs + " ms after the change");
        // The same body a plain read gives.
        assertEquals(JSON.readTree(plainRead(runId)), JSON.readTree(answer.asString()));
        await().atMost(Duration.ofSeconds(5)).until(() -> watchers.watching() == before);
    }

    @Test
    void aWaitThatSeesNoChangeAnswersTheRunAsItIsWhenTheTimeIsUp() {
        String runId = queuedRun();
        long start = System.nanoTime();
        given().auth().oauth2(user.token()).queryParam("wait_seconds", 1).get("/api/agent-webhooks/runs/" + runId)
                .then().statusCode(200).body("data.run.status", equalTo("queued"));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs >= 950 && tookMs < 10_000, "took " + tookMs + " ms");
    }

    @Test
    void aStatusTheCallerLastSawThatIsNoLongerTheRunsAnswersAtOnce() {
        // The caller saw "running" (say); the run is queued: a change it has not seen, so no wait at all.
        String runId = queuedRun();
        long start = System.nanoTime();
        given().auth().oauth2(user.token()).queryParam("wait_seconds", 30).queryParam("status", "running")
                .get("/api/agent-webhooks/runs/" + runId).then().statusCode(200)
                .body("data.run.status", equalTo("queued"));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000, "answered without waiting");
        // The status it saw is the run's: it waits for the next change (here, the time limit).
        long waited = System.nanoTime();
        given().auth().oauth2(user.token()).queryParam("wait_seconds", 1).queryParam("status", "queued")
                .get("/api/agent-webhooks/runs/" + runId).then().statusCode(200)
                .body("data.run.status", equalTo("queued"));
        assertTrue((System.nanoTime() - waited) / 1_000_000 >= 950);
        given().auth().oauth2(user.token()).queryParam("wait_seconds", 5).queryParam("status", "done")
                .get("/api/agent-webhooks/runs/" + runId).then().statusCode(400)
                .body("error", equalTo("invalid_status"));
    }

    @Test
    void aRunThatHasEndedAnswersAtOnceWhateverTheWait() {
        String runId = queuedRun();
        given().auth().oauth2(user.token()).post("/api/agent-webhooks/runs/" + runId + "/cancel").then()
                .statusCode(200);
        long start = System.nanoTime();
        given().auth().oauth2(user.token()).queryParam("wait_seconds", 30).get("/api/agent-webhooks/runs/" + runId)
                .then().statusCode(200).body("data.run.status", equalTo("cancelled"));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000);
    }

    @Test
    void anotherUsersRunIsA404AtOnceAndNothingWaits() {
        String runId = queuedRun();
        Fixtures.User other = Fixtures.user(workflow);
        int before = watchers.watching();
        long start = System.nanoTime();
        given().auth().oauth2(other.token()).queryParam("wait_seconds", 30).get("/api/agent-webhooks/runs/" + runId)
                .then().statusCode(404).body("success", equalTo(false)).body("error", equalTo("run_not_found"));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000, "refused without waiting");
        given().auth().oauth2(other.token()).get("/api/agent-webhooks/runs/" + runId + "/events")
                .then().statusCode(404).body("error", equalTo("run_not_found"));
        assertEquals(before, watchers.watching(), "a refused wait leaves no watch behind");
    }

    @Test
    void waitSecondsOutsideZeroToThirtyIsA400() {
        String runId = queuedRun();
        for (String bad : List.of("31", "-1", "1.5", "abc", "100", "5s")) {
            given().auth().oauth2(user.token()).queryParam("wait_seconds", bad).get("/api/agent-webhooks/runs/" + runId)
                    .then().statusCode(400).body("success", equalTo(false))
                    .body("error", equalTo("invalid_wait_seconds"));
        }
        given().auth().oauth2(user.token()).queryParam("wait_seconds", "0").get("/api/agent-webhooks/runs/" + runId)
                .then().statusCode(200).body("data.run.status", equalTo("queued"));
        given().get("/api/agent-webhooks/runs/" + runId + "?wait_seconds=5").then().statusCode(401);
    }

    @Test
    void theEventStreamSendsTheRunThenEachChangeAndEndsWithTheRun() throws Exception {
        String runId = queuedRun();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                + "/api/agent-webhooks/runs/" + runId + "/events"))
                .header("Authorization", "Bearer " + user.token()).header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String> lines = new ArrayList<>();
        CompletableFuture<Void> read = CompletableFuture.runAsync(() -> response.body().forEach(line -> {
            synchronized (lines) {
                lines.add(line);
            }
        }));
        await().atMost(Duration.ofSeconds(10)).until(() -> events(lines).size() == 1);
        assertEquals("queued", events(lines).get(0).at("/data/run/status").asText());

        given().auth().oauth2(user.token()).post("/api/agent-webhooks/runs/" + runId + "/cancel").then()
                .statusCode(200);
        read.get(10, TimeUnit.SECONDS); // the stream ends after the run's last status
        List<JsonNode> events = events(lines);
        assertEquals(2, events.size(), lines.toString());
        assertEquals("cancelled", events.get(1).at("/data/run/status").asText());
        assertEquals(JSON.readTree(plainRead(runId)), events.get(1));
        assertTrue(lines.contains("event:status"), lines.toString());
    }

    private String queuedRun() {
        return Fixtures.trigger(user, workflow, Map.of("prompt", "wait for me")).toHexString();
    }

    private String plainRead(String runId) {
        return given().auth().oauth2(user.token()).get("/api/agent-webhooks/runs/" + runId).then().statusCode(200)
                .extract().asString();
    }

    private static List<JsonNode> events(List<String> lines) {
        List<JsonNode> events = new ArrayList<>();
        synchronized (lines) {
            for (String line : lines) {
                if (line.startsWith("data:")) {
                    try {
                        events.add(JSON.readTree(line.substring("data:".length())));
                    } catch (Exception e) {
                        throw new IllegalStateException(line, e);
                    }
                }
            }
        }
        return events;
    }
}
