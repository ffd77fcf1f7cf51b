package dev.tollgate.gateway.edge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.support.StubUpstreams;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the gateway refuses itself answers in the path family's JSON, never Quarkus's or Netty's default body
 * (issue 17 items 2 and 7): streamed bodies count against the limit, unmatched paths, wrong methods and types, long
 * URIs and large headers.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(StubUpstreams.class)
class EdgeRefusalsTest {

    static final String ALICE = TestTokens.user("alice");
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource("/")
    URI gateway;

    @jakarta.inject.Inject
    dev.tollgate.gateway.overload.UpstreamInFlight inFlight;

    /** A POST whose body is streamed (chunked): no Content-Length for the edge to check. */
    HttpResponse<String> streamed(String path, int bytes) throws Exception {
        byte[] body = new byte[bytes];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[bytes - 1] = '}';
        return HTTP.send(HttpRequest.newBuilder(gateway.resolve(path)).header("Authorization", "Bearer " + ALICE)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aStreamedBodyPastTheLimitIsA413AndNoServiceGetsItWhole() throws Exception {
        HttpResponse<String> api = streamed("/products/purchase", 2 * 1024 * 1024);
        assertEquals(413, api.statusCode(), api.body());
        assertEquals("payload_too_large", JSON.readTree(api.body()).path("error").asText());
        HttpResponse<String> webhooks = streamed("/api/agent-webhooks/wf1/trigger", 3 * 1024 * 1024);
        assertEquals(413, webhooks.statusCode(), webhooks.body());
        JsonNode body = JSON.readTree(webhooks.body());
        assertEquals(false, body.path("success").asBoolean(true));
        assertEquals("payload_too_large", body.path("error").asText());
        assertTrue(StubUpstreams.largestBodyReceived() <= 1024 * 1024,
                "a service received " + StubUpstreams.largestBodyReceived() + " bytes");
        // and their places in flight are given back (a refused upload used to keep one for good: 128 of them and the
        // route answered 503 overloaded)
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                inFlight.inFlight(dev.tollgate.gateway.routing.Upstream.CATALOG) == 0
                        && inFlight.inFlight(dev.tollgate.gateway.routing.Upstream.WORKFLOW) == 0);
    }

    /**
     * A client that writes its whole body before reading (HttpURLConnection, urllib3) gets the 413 and the connection
     * closed, not a connection left open until the idle timeout.
     */
    @Test
    void aClientThatSendsItsWholeOversizedBodyFirstGetsTheAnswerAndTheConnectionClosed() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(20_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /products/purchase HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ALICE
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            try {
                for (int i = 0; i < 40; i++) { // 2.5 MiB
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
            } catch (java.io.IOException closedWhileSending) {
                // the gateway closed the connection while the rest was still being sent: also an answer
            }
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("payload_too_large"), answer);
        }
    }

    @Test
    void aStreamedBodyWithinTheLimitPassesWhole() throws Exception {
        HttpResponse<String> answer = streamed("/issues/report", 64 * 1024);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(64 * 1024, JSON.readTree(answer.body()).path("body").asText().length());
    }

    @Test
    void aStreamedBodyPastTheLimitToTheGatewaysOwnEndpointIsA413InJson() throws Exception {
        HttpResponse<String> answer = streamed("/auth/token", 2 * 1024 * 1024);
        assertEquals(413, answer.statusCode(), answer.body());
        assertEquals("payload_too_large", JSON.readTree(answer.body()).path("error").asText());
    }

    static ValidatableResponse apiShape(ValidatableResponse response, String code) {
        return response.contentType("application/json").body("error", equalTo(code))
                .body("detail", org.hamcrest.Matchers.notNullValue()).body("success", nullValue());
    }

    static ValidatableResponse webhooksShape(ValidatableResponse response, String code) {
        return response.contentType("application/json").body("success", equalTo(false)).body("error", equalTo(code))
                .body("message", org.hamcrest.Matchers.notNullValue());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/nothing-here, api",
            "/admin/nothing-here/x, api",
            // dot segments resolve out of the prefix (to /api/admin/...: no route), answered in the shape of the
            // path as the caller wrote it
            "/api/agent-webhooks/%2e%2e/admin/callbacks, webhooks",
            "/api/agent-webhooks/a/../../admin/products, webhooks",
            "/admin/products/..%2f..%2finternal/products, api",
            // never proxied (a dot-dot left in a segment), answered in the family of the prefix
            "/api/agent-webhooks/runs/a..b, webhooks",
            "/admin/workflows/x..y, webhooks" })
    void anUnmatchedPathIsA404InItsFamilysJson(String path, String family) {
        ValidatableResponse answer = given().urlEncodingEnabled(false).auth().oauth2(ALICE).get(path).then()
                .statusCode(404);
        if (family.equals("api")) {
            apiShape(answer, "not_found");
        } else {
            webhooksShape(answer, "not_found");
        }
    }

    @Test
    void aWrongMethodOnTheGatewaysOwnEndpointIsA405InJson() {
        apiShape(given().delete("/auth/token").then().statusCode(405), "method_not_allowed");
    }

    @Test
    void aLongUriIsA414AndLargeHeadersA431InJson() {
        apiShape(given().auth().oauth2(ALICE).get("/products/fetch?q=" + "a".repeat(5000)).then().statusCode(414),
                "uri_too_long");
        webhooksShape(given().auth().oauth2(ALICE).get("/api/agent-webhooks/runs/" + "r".repeat(5000)).then()
                .statusCode(414), "uri_too_long");
        apiShape(given().auth().oauth2(ALICE).header("X-Filler", "x".repeat(30_000)).get("/credits/balance").then()
                .statusCode(431), "headers_too_large");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "/api/agent-webhooks/wf1/trigger, text/plain, webhooks",
            "/admin/workflows, application/xml, webhooks",
            "/products/purchase, text/plain, api",
            "/admin/products, application/x-www-form-urlencoded, api",
            "/auth/token, text/plain, api" })
    void aBodyThatIsNotJsonIsA415Everywhere(String path, String type, String family) {
        ValidatableResponse answer = given().auth().oauth2(ALICE).contentType(type).body("{\"prompt\":\"hi\"}")
                .post(path).then().statusCode(415);
        if (family.equals("api")) {
            apiShape(answer, "unsupported_media_type");
        } else {
            webhooksShape(answer, "unsupported_media_type");
        }
    }

    @Test
    void jsonTypesWithParametersPass() {
        given().auth().oauth2(ALICE).contentType("application/json; charset=utf-8").body("{\"prompt\":\"hi\"}")
                .post("/api/agent-webhooks/wf1/trigger").then().statusCode(200).body("upstream", equalTo("workflow"));
        given().auth().oauth2(ALICE).contentType("application/merge-patch+json").body("{}")
                .post("/issues/report").then().statusCode(200);
    }
}
