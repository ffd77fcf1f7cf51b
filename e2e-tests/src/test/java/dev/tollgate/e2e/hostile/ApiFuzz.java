package dev.tollgate.e2e.hostile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.e2e.hostile.FuzzInputs.Case;
import dev.tollgate.e2e.hostile.FuzzTargets.Family;
import dev.tollgate.e2e.hostile.FuzzTargets.Operation;
import dev.tollgate.e2e.hostile.HostilePlatform.Caller;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's fuzz test: every operation of the API document the gateway serves, public and admin, called through the
 * gateway of a running platform with malformed input ({@link FuzzInputs}, jqwik arbitraries), by callers with and
 * without tokens. Fails on any 5xx, and on any refusal whose body is not its path family's JSON error. Seeded: the
 * seed is printed first; {@code -Dtest=HostileCallersTest -Dtollgate.fuzz.seed=N} replays a run request for request (with
 * {@code -Dtollgate.fuzz.requests=N} and {@code -Dtollgate.fuzz.max-seconds=N} to size it).
 */
abstract class ApiFuzz {

    static final int REQUESTS = Integer.getInteger("tollgate.fuzz.requests", 2400);
    static final int AT_LEAST = Math.min(2000, REQUESTS);
    static final Duration TIME_BOUND = Duration.ofSeconds(Long.getLong("tollgate.fuzz.max-seconds", 480));

    final HostilePlatform p = HostilePlatform.current();

    @Test
    void malformedInputToEveryOperationIsRefusedInItsFamilysShapeAndNeverA5xx() throws Exception {
        long seed = Long.getLong("tollgate.fuzz.seed", new SecureRandom().nextLong());
        System.out.println("OpenApiFuzzTest seed " + seed + " (replay: ./mvnw -pl e2e-tests test "
                + "-Dtest=HostileCallersTest -Dtollgate.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        // jqwik's generators outside a property need a session (the same seed for what it draws itself).
        JqwikSession.start(String.valueOf(seed));
        try {
            fuzz(seed, random);
        } finally {
            JqwikSession.finish();
        }
    }

    void fuzz(long seed, Random random) throws Exception {
        JsonNode document = FuzzTargets.document(p);
        List<Operation> operations = FuzzTargets.operations(document);
        JsonNode s = p.stack;
        FuzzInputs inputs = new FuzzInputs(document, Map.of("workflowId", s.get("workflow_id").asText(),
                "bundleId", s.get("bundle_id").asText(), "productId", s.get("product_id").asText(),
                "budgetId", s.get("budget_id").asText(), "runId", p.runId, "issueId", p.issueId,
                "grantId", p.grantId, "approvalRequestId", p.approvalRequestId));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TIME_BOUND.toNanos();
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int sent = 0;
        for (; sent < REQUESTS && System.nanoTime() < deadline && failures.size() < 20; sent++) {
            // Every operation in turn, so that each gets its share; what is sent to it is drawn.
            Case c = inputs.next(operations.get(sent % operations.size()), random);
            HttpResponse<String> answer;
            try {
                answer = http.send(request(c), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // A connection closed on an oversized body the client was still sending: the answer was a refusal.
                if (c.body() != null && c.body().length > 1024 * 1024) {
                    statuses.merge(413, 1, Integer::sum);
                    continue;
                }
                failures.add("#" + sent + " no answer (" + e + "): " + c.describe());
                continue;
            }
            statuses.merge(answer.statusCode(), 1, Integer::sum);
            String problem = problem(c, answer);
            if (problem != null) {
                failures.add("#" + sent + " " + problem + ": " + c.describe() + "\n    answered: "
                        + answer.body().substring(0, Math.min(400, answer.body().length())));
            }
        }
        System.out.println("OpenApiFuzzTest: " + sent + " requests over " + operations.size()
                + " operations, statuses " + statuses);
        assertTrue(failures.isEmpty(), "seed " + seed + ":\n" + String.join("\n", failures));
        assertTrue(sent >= AT_LEAST, "only " + sent + " requests within " + TIME_BOUND + " (seed " + seed + ")");
    }

    HttpRequest request(Case c) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(p.gateway + c.path())).timeout(Duration.ofSeconds(30));
        if (c.caller() != Caller.NONE) {
            b.header("Authorization", "Bearer " + p.tokens.get(c.caller()));
        }
        c.headers().forEach(b::header);
        if (c.contentType() != null) {
            b.header("Content-Type", c.contentType());
        }
        HttpRequest.BodyPublisher body = c.body() == null ? HttpRequest.BodyPublishers.noBody()
                : c.chunked() ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(c.body()))
                        : HttpRequest.BodyPublishers.ofByteArray(c.body());
        return b.method(c.operation().method(), body).build();
    }

    /** What is wrong with {@code answer} to {@code c}, or null. */
    static String problem(Case c, HttpResponse<String> answer) {
        int status = answer.statusCode();
        if (status >= 500) {
            return "answered " + status;
        }
        if (status < 400 || c.operation().family() == Family.HTML && !isJson(answer)) {
            return null;
        }
        JsonNode body;
        try {
            body = HostilePlatform.JSON.readTree(answer.body());
        } catch (IOException e) {
            return status + " without a JSON body";
        }
        boolean api = body != null && body.has("detail") && (body.get("detail").isTextual()
                || body.get("detail").isArray());
        boolean webhooks = body != null && body.path("success").isBoolean() && !body.get("success").asBoolean()
                && body.path("error").isTextual() && body.path("message").isTextual();
        // A dot segment may resolve the path into another family's prefix: then either shape is its own.
        boolean shaped = c.traversal() ? api || webhooks
                : c.operation().family() == Family.WEBHOOKS ? webhooks : api || (c.operation().family() == Family.HTML
                        && webhooks);
        return shaped ? null : status + " outside the " + c.operation().family() + " family's error shape";
    }

    static boolean isJson(HttpResponse<String> answer) {
        return answer.headers().firstValue("Content-Type").orElse("").contains("json");
    }
}
