package dev.tollgate.gateway.overload;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.tollgate.gateway.routing.Upstream;
import dev.tollgate.gateway.support.Management;
import dev.tollgate.gateway.support.StubUpstreams;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A service that stops keeping up (its requests held by the stub) with the gateway's in-flight bound set to 4: the
 * requests past the bound are refused at once in the path's error style, with Retry-After, and never reach the
 * service; the ones admitted are all answered once the service answers; other services are unaffected; a service
 * given a figure of its own (here catalog-service, 2) is bound by that one.
 */
@QuarkusTest
@TestProfile(OverloadSheddingTest.FourInFlight.class)
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(StubUpstreams.class)
class OverloadSheddingTest {

    private static final int LIMIT = 4;
    private static final int WAITING_LIMIT = 2;
    /** catalog-service's own figure, in place of LIMIT. */
    private static final int CATALOG_LIMIT = 2;

    public static class FourInFlight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.gateway.proxy.max-in-flight", Integer.toString(LIMIT),
                    "tollgate.gateway.proxy.max-in-flight-to.catalog", Integer.toString(CATALOG_LIMIT),
                    // The workflow api has a figure of its own in application.properties; here it is the others' too.
                    "tollgate.gateway.proxy.max-in-flight-to.workflow", Integer.toString(LIMIT),
                    "tollgate.gateway.proxy.max-waiting", Integer.toString(WAITING_LIMIT));
        }
    }

    @Inject
    UpstreamInFlight inFlight;

    @TestHTTPResource("/")
    java.net.URL gateway;

    @AfterEach
    void letEverythingGo() {
        StubUpstreams.letGo();
        await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.inFlight(Upstream.WORKFLOW) == 0
                && inFlight.inFlight(Upstream.CREDITS) == 0 && inFlight.inFlight(Upstream.CATALOG) == 0);
    }

    @Test
    void aServiceWithAFigureOfItsOwnIsBoundByThatOne() throws Exception {
        StubUpstreams.holdRequests();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CATALOG_LIMIT; i++) {
                clients.submit(() -> given().auth().oauth2(TestTokens.user("alice")).get("/products/held").andReturn());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> StubUpstreams.held() == CATALOG_LIMIT);
            // Below the others' figure (4), past catalog-service's own (2).
            given().auth().oauth2(TestTokens.user("alice")).get("/products/held").then().statusCode(503)
                    .header("Retry-After", "1").body("error", equalTo("overloaded"));
            assertEquals(CATALOG_LIMIT, StubUpstreams.held(), "the refused request never reached the service");
            assertEquals(CATALOG_LIMIT, inFlight.inFlight(Upstream.CATALOG));
            StubUpstreams.letGo();
        }
    }

    @Test
    void waitingRequestsHaveTheirOwnBoundSoFollowersNeverCrowdOutWork() throws Exception {
        StubUpstreams.holdRequests();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            // Long-polls and event streams up to their own bound: the service's work bound is untouched.
            for (int i = 0; i < WAITING_LIMIT; i++) {
                clients.submit(() -> given().auth().oauth2(TestTokens.user("alice"))
                        .get("/api/agent-webhooks/runs/held?wait_seconds=30").andReturn());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> StubUpstreams.held() == WAITING_LIMIT);
            assertEquals(0, inFlight.inFlight(Upstream.WORKFLOW));
            given().auth().oauth2(TestTokens.user("alice")).get("/api/agent-webhooks/runs/r1/events").then()
                    .statusCode(503).header("Retry-After", "1").body("error", equalTo("overloaded"));
            given().auth().oauth2(TestTokens.user("alice")).get("/api/agent-webhooks/runs/r1").then().statusCode(200)
                    .body("path", equalTo("/api/agent-webhooks/runs/r1"));

            StubUpstreams.letGo();
            await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.waiting(Upstream.WORKFLOW) == 0);

            // And the work bound full does not refuse a follower.
            StubUpstreams.holdRequests();
            for (int i = 0; i < LIMIT; i++) {
                clients.submit(() -> given().auth().oauth2(TestTokens.user("alice")).contentType("application/json")
                        .body("{\"prompt\":\"hi\"}").post("/api/agent-webhooks/wf1/held").andReturn());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.inFlight(Upstream.WORKFLOW) == LIMIT);
            given().auth().oauth2(TestTokens.user("alice")).get("/api/agent-webhooks/runs/r1?wait_seconds=5").then()
                    .statusCode(200).body("path", equalTo("/api/agent-webhooks/runs/r1"));
            StubUpstreams.letGo();
        }
        String metrics = Management.metrics();
        assertTrue(metrics.contains("tollgate_gateway_requests_shed_total{reason=\"waiting_limit\","
                + "route=\"/api/agent-webhooks\",upstream=\"workflow\"} 1.0"), metrics);
    }

    @Test
    void pastTheBoundRequestsAreRefusedAtOnceAndEveryAdmittedOneIsAnswered() throws Exception {
        StubUpstreams.holdRequests();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Response>> admitted = new ArrayList<>();
            for (int i = 0; i < LIMIT; i++) {
                admitted.add(clients.submit(() -> given().auth().oauth2(TestTokens.user("alice"))
                        .contentType("application/json").body("{\"prompt\":\"hi\"}")
                        .post("/api/agent-webhooks/wf1/held").andReturn()));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> StubUpstreams.held() == LIMIT);

            for (int i = 0; i < 10; i++) {
                long start = System.nanoTime();
                given().auth().oauth2(TestTokens.user("alice")).contentType("application/json")
                        .body("{\"prompt\":\"hi\"}").post("/api/agent-webhooks/wf1/held").then().statusCode(503)
                        .header("Retry-After", "1").body("success", equalTo(false))
                        .body("error", equalTo("overloaded")).body("message", notNullValue());
                long millis = (System.nanoTime() - start) / 1_000_000;
                // The service holds every request it got; a refusal that waited for it would take the stub's minute.
                assertTrue(millis < 2000, "refused at once, not queued: " + millis + " ms");
            }
            assertEquals(LIMIT, StubUpstreams.held(), "the refused requests never reached the service");
            assertEquals(LIMIT, inFlight.inFlight(Upstream.WORKFLOW));
            // The queue depth per upstream, as an operator watches it.
            String depth = Management.metrics();
            assertTrue(depth.contains("tollgate_gateway_upstream_in_flight{upstream=\"workflow\"} " + LIMIT + ".0"),
                    depth);

            // Another service's requests are not refused for this one's.
            given().auth().oauth2(TestTokens.user("alice")).get("/credits/balance").then().statusCode(200)
                    .body("upstream", equalTo("credits"));

            StubUpstreams.letGo();
            for (Future<Response> response : admitted) {
                Response answered = response.get(30, TimeUnit.SECONDS);
                assertEquals(200, answered.statusCode(), "an admitted request is answered: " + answered.asString());
                assertEquals("/api/agent-webhooks/wf1/held", answered.path("path"));
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight.inFlight(Upstream.WORKFLOW) == 0);
        given().auth().oauth2(TestTokens.user("alice")).contentType("application/json").body("{\"prompt\":\"hi\"}")
                .post("/api/agent-webhooks/wf1/held").then().statusCode(200);
        String metrics = Management.metrics();
        assertTrue(metrics.contains("tollgate_gateway_requests_shed_total{reason=\"in_flight_limit\","
                + "route=\"/api/agent-webhooks\",upstream=\"workflow\"} 10.0"), metrics);
    }

    @Test
    void aRefusalTakesTheStyleOfItsPath() throws Exception {
        StubUpstreams.holdRequests();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < LIMIT; i++) {
                clients.submit(() -> given().auth().oauth2(TestTokens.user("alice")).get("/credits/held").andReturn());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> StubUpstreams.held() == LIMIT);
            given().auth().oauth2(TestTokens.user("alice")).get("/credits/balance").then().statusCode(503)
                    .header("Retry-After", "1").body("error", equalTo("overloaded"))
                    .body("detail", notNullValue());
            StubUpstreams.letGo();
        }
    }

    @Test
    void aCallerThatGivesUpFreesItsPlace() throws Exception {
        StubUpstreams.holdRequests();
        List<Socket> callers = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            Socket socket = new Socket(gateway.getHost(), gateway.getPort());
            OutputStream out = socket.getOutputStream();
            out.write(("GET /credits/held HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + TestTokens.user("alice") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            callers.add(socket);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.inFlight(Upstream.CREDITS) == LIMIT);
        for (Socket socket : callers) {
            socket.close();
        }
        // The service still holds the requests, but their callers are gone: the places are the gateway's to give.
        await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.inFlight(Upstream.CREDITS) == 0);
        StubUpstreams.letGo();
    }
}
