package dev.tollgate.localstack.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.restassured.RestAssured;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every service is operable the same way: liveness and readiness that reflect its real dependencies, an OpenAPI
 * document and Prometheus metrics. A service's test extends this and names the readiness checks it must show.
 */
public abstract class PlatformEndpointsContract {

    /** Names of the readiness checks this service must report UP, e.g. the MongoDB and Kafka connection checks. */
    protected abstract List<String> readinessChecks();

    public static final String MONGO_CHECK = "MongoDB connection health check";
    public static final String KAFKA_CHECK = "Kafka connection health check";

    /**
     * The port of {@code /q/health} and {@code /q/metrics}: the service's one port, or its management interface's
     * (the gateway's, off its public port).
     */
    protected int managementPort() {
        return io.restassured.RestAssured.port;
    }

    @Test
    void isLive() {
        given().port(managementPort()).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void isReadyWithItsDependenciesChecked() {
        given().port(managementPort()).get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(readinessChecks().toArray(String[]::new)));
    }

    @Test
    void publishesAnOpenApiDocument() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("openapi", org.hamcrest.Matchers.startsWith("3."));
    }

    /**
     * Whether this service answers in the webhooks family's error shape ({@code success}, {@code error},
     * {@code message}) rather than the api family's ({@code detail}, {@code error}).
     */
    protected boolean webhooksFamily() {
        return false;
    }

    /**
     * A bug answers 500 in the family's shape, with a reference and nothing of the failure (the service's test sources
     * hold a resource at {@code /test-only/bug} whose GET throws). It used to be Quarkus's default body.
     */
    @Test
    void aBugAnswers500InTheFamilysShapeWithNothingOfItsInternals() {
        String body = given().header("X-Request-Id", "contract-probe").get("/test-only/bug").then().statusCode(500)
                .contentType("application/json").body("error", equalTo("internal_error"))
                .body(webhooksFamily() ? "message" : "detail", containsString("reference "))
                .extract().asString();
        if (webhooksFamily()) {
            given().get("/test-only/bug").then().body("success", equalTo(false));
        }
        org.junit.jupiter.api.Assertions.assertFalse(body.contains("IllegalStateException") || body.contains("secret")
                || body.contains("at dev.tollgate"), body);
    }

    /** A refusal the framework makes keeps its status, in the family's shape. */
    @Test
    void aWrongMethodAnswers405InTheFamilysShape() {
        given().contentType("application/json").body("{}").patch("/test-only/bug").then().statusCode(405)
                .contentType("application/json").body("error", equalTo("method_not_allowed"))
                .body(webhooksFamily() ? "message" : "detail", equalTo("Method Not Allowed"));
    }

    /**
     * A path no route serves, dot segments and encoded slashes included, is a 404 in the family's shape (issue 17
     * item 7: it was Quarkus's HTML page).
     */
    @Test
    void anUnmatchedPathAnswers404InTheFamilysShape() {
        for (String path : List.of("/no/such/path", "/test-only/bug/%2e%2e/%2e%2e/q/x", "/test-only/a%2Fb")) {
            given().urlEncodingEnabled(false).get(path).then().statusCode(404).contentType("application/json")
                    .body("error", equalTo("not_found"))
                    .body(webhooksFamily() ? "message" : "detail", equalTo("Not Found"));
        }
    }

    /** A body over the service's limit (2 MiB; the gateway's is 1 MiB) is a 413 in the family's shape. */
    @Test
    void aBodyOverTheLimitAnswers413InTheFamilysShape() {
        byte[] body = new byte[2 * 1024 * 1024 + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        given().contentType("application/json").body(body).post("/test-only/bug").then().statusCode(413)
                .contentType("application/json").body("error", equalTo("payload_too_large"));
    }

    @Test
    void exposesPrometheusMetrics() {
        given().port(managementPort()).get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
    }

    /**
     * Past its in-flight bound ({@code tollgate.http.admission.max-in-flight}) a service refuses at once: 503
     * {@code overloaded} with a {@code Retry-After}, in the family's shape, while health still answers; the requests it
     * had taken all complete, and once they did it takes requests again (every place given back).
     */
    @Test
    void pastItsInFlightBoundAServiceRefusesAtOnceWithRetryAfterInTheFamilysShape() throws Exception {
        int bound = ConfigProvider.getConfig().getValue("tollgate.http.admission.max-in-flight", Integer.class);
        // The gateway turns the process bound off: it bounds each upstream instead (its OverloadSheddingTest).
        Assumptions.assumeTrue(bound > 0, "no in-flight bound of its own");
        HttpRequest held = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + "/test-only/bug/held")).timeout(Duration.ofSeconds(60)).build();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        HeldRequests.reset();
        try (HttpClient client = HttpClient.newHttpClient()) {
            try {
                for (int i = 0; i < bound; i++) {
                    answers.add(client.sendAsync(held, HttpResponse.BodyHandlers.ofString()));
                }
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> HeldRequests.held() == bound);
                given().get("/test-only/bug").then().statusCode(503).header("Retry-After", "1")
                        .contentType("application/json").body("error", equalTo("overloaded"))
                        .body(webhooksFamily() ? "message" : "detail", containsString("Retry after 1 s"));
                HttpResponse<String> refused = client.send(HttpRequest.newBuilder(held.uri())
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                Assertions.assertEquals(503, refused.statusCode(), refused.body());
                Assertions.assertEquals(bound, HeldRequests.held(), "a refused request never reaches the service's code");
                given().port(managementPort()).get("/q/health/live").then().statusCode(200);
            } finally {
                HeldRequests.releaseAll();
            }
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                Assertions.assertEquals(200, answer.get(60, TimeUnit.SECONDS).statusCode());
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().get("/test-only/bug").then().statusCode(500));
    }
}
