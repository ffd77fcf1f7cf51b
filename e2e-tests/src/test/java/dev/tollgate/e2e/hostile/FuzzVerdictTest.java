package dev.tollgate.e2e.hostile;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLSession;

import dev.tollgate.e2e.hostile.FuzzInputs.Case;
import dev.tollgate.e2e.hostile.FuzzTargets.Family;
import dev.tollgate.e2e.hostile.FuzzTargets.Operation;
import dev.tollgate.e2e.hostile.HostilePlatform.Caller;
import org.junit.jupiter.api.Test;

/** What the fuzz test counts as a failure (no platform needed): it must catch what issue 17 found. */
class FuzzVerdictTest {

    static Case caseFor(String path, Family family, boolean traversal) {
        return new Case(new Operation("POST", path, List.of(), null, family), Caller.OWNER, path, Map.of(),
                "application/json", null, false, traversal);
    }

    static HttpResponse<String> answer(int status, String type, String body) {
        return new HttpResponse<>() {
            public int statusCode() {
                return status;
            }

            public HttpRequest request() {
                return null;
            }

            public Optional<HttpResponse<String>> previousResponse() {
                return Optional.empty();
            }

            public HttpHeaders headers() {
                return HttpHeaders.of(Map.of("Content-Type", List.of(type)), (a, b) -> true);
            }

            public String body() {
                return body;
            }

            public Optional<SSLSession> sslSession() {
                return Optional.empty();
            }

            public URI uri() {
                return URI.create("http://127.0.0.1/");
            }

            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
    }

    @Test
    void anyServerErrorFails() {
        assertNotNull(ApiFuzz.problem(caseFor("/products/purchase", Family.API, false),
                answer(500, "application/json", "{\"detail\":\"x\",\"error\":\"internal_error\"}")));
        assertNotNull(ApiFuzz.problem(caseFor("/products/purchase", Family.API, false),
                answer(504, "application/json", "{\"detail\":\"x\",\"error\":\"upstream_timeout\"}")));
    }

    @Test
    void aRefusalOutsideItsFamilysShapeFails() {
        // Quarkus's default 404 page, an empty 413, and the other family's shape
        assertNotNull(ApiFuzz.problem(caseFor("/admin/products", Family.API, false),
                answer(404, "text/html", "<html><body>Resource not found</body></html>")));
        assertNotNull(ApiFuzz.problem(caseFor("/auth/token", Family.API, false), answer(413, "", "")));
        assertNotNull(ApiFuzz.problem(caseFor("/api/agent-webhooks/x/trigger", Family.WEBHOOKS, false),
                answer(400, "application/json", "{\"detail\":\"bad\",\"error\":\"invalid_payload\"}")));
    }

    @Test
    void aRefusalInItsFamilysShapeOrASuccessPasses() {
        assertNull(ApiFuzz.problem(caseFor("/admin/products", Family.API, false),
                answer(422, "application/json", "{\"detail\":[{\"loc\":[\"body\"]}]}")));
        assertNull(ApiFuzz.problem(caseFor("/api/agent-webhooks/x/trigger", Family.WEBHOOKS, false),
                answer(400, "application/json", "{\"success\":false,\"error\":\"invalid_payload\",\"message\":\"m\"}")));
        assertNull(ApiFuzz.problem(caseFor("/api/agent-webhooks/x/trigger", Family.WEBHOOKS, true),
                answer(404, "application/json", "{\"detail\":\"Not Found\",\"error\":\"not_found\"}")));
        assertNull(ApiFuzz.problem(caseFor("/products/purchase", Family.API, false),
                answer(200, "application/json", "{}")));
    }
}
