package dev.tollgate.e2e.hostile;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.e2e.hostile.HostilePlatform.Caller;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the served API document, called by each kind of caller, through the gateway of a running
 * platform (issue 17): the status each must get, in one table. "owner" owns the resources named in the paths (the
 * demo budget, its run, its issue report); "other user" has a budget of their own; "user" has a valid token and no
 * budget; "service" is a token with only the {@code service} role. Callers are tried in the table's order, so an
 * operation that changes something is refused by the others before the allowed ones run it. Worth knowing when
 * reading it: runs are their owner's alone (an admin gets 404 on another user's run, as anyone else; operators have
 * /admin/callbacks); a purchase or trigger needs the caller's own budget to hold the product or workflow (403 or 409
 * otherwise, whoever the caller is); the owner's run was already over when cancelled (409); adding a workflow to a
 * budget is an admin's act (the owner's approve is 403); service tokens, which only services hold, read bundles (the
 * gateway's embed pages do) and nothing else a user may.
 */
abstract class AuthorizationMatrix {

    final HostilePlatform p = HostilePlatform.current();

    // @formatter:off
    /** operation: the statuses for NONE, USER, OTHER_USER, OWNER, ADMIN, SERVICE. */
    static final String MATRIX = """
            GET    /health                                                  200 200 200 200 200 200
            GET    /public/jwt-public-key                                   200 200 200 200 200 200
            GET    /.well-known/jwks.json                                   200 200 200 200 200 200
            GET    /embed.js                                                200 200 200 200 200 200
            GET    /embed/{workflowId}                                      200 200 200 200 200 200
            GET    /embed/bundle/{bundleId}                                 200 200 200 200 200 200
            GET    /embed/product/{productId}                               200 200 200 200 200 200
            POST   /auth/token                                              401 401 401 401 401 401
            GET    /auth/me                                                 401 200 200 200 200 200
            GET    /credits/balance                                         401 200 200 200 200 403
            GET    /credits/history                                         401 200 200 200 200 403
            GET    /products/fetch                                          401 200 200 200 200 403
            POST   /products/purchase                                       401 403 403 200 403 403
            POST   /issues/report                                           401 200 200 200 200 403
            GET    /bundles/{bundleId}                                      401 200 200 200 200 200
            POST   /api/agent-webhooks/{workflowId}/trigger                 401 409 200 200 409 403
            GET    /api/agent-webhooks/runs/{runId}                         401 404 404 200 404 403
            GET    /api/agent-webhooks/runs/{runId}/events                  401 404 404 200 404 403
            POST   /api/agent-webhooks/runs/{runId}/cancel                  401 404 404 409 404 403
            GET    /api/agent-webhooks/signing-secret                       401 200 200 200 200 403
            POST   /api/agent-webhooks/signing-secret/rotate                401 200 200 200 200 403
            POST   /admin/credits/grants                                    401 403 403 403 201 403
            POST   /admin/credits/grants/{grantId}/revoke                   401 403 403 403 200 403
            GET    /admin/products                                          401 403 403 403 200 403
            POST   /admin/products                                          401 403 403 403 201 403
            GET    /admin/products/{productId}                              401 403 403 403 200 403
            PUT    /admin/products/{productId}                              401 403 403 403 200 403
            POST   /admin/products/{productId}/retire                       401 403 403 403 200 403
            POST   /admin/budgets                                           401 403 403 403 201 403
            GET    /admin/budgets/{budgetId}                                401 404 404 200 200 403
            PUT    /admin/budgets/{budgetId}/products/{productId}           401 403 403 403 200 403
            DELETE /admin/budgets/{budgetId}/products/{productId}           401 403 403 403 200 403
            PUT    /admin/budgets/{budgetId}/workflows/{workflowId}         401 403 403 403 200 403
            DELETE /admin/budgets/{budgetId}/workflows/{workflowId}         401 403 403 403 200 403
            PUT    /admin/budgets/{budgetId}/credentials/{credentialKey}    401 404 404 200 200 403
            POST   /admin/budgets/{budgetId}/api-keys                       401 403 403 403 201 403
            GET    /admin/budgets/{budgetId}/api-keys                       401 404 404 200 200 403
            DELETE /admin/budgets/{budgetId}/api-keys/{keyId}               401 404 404 200 200 403
            POST   /admin/bundles                                           401 403 403 403 201 403
            GET    /admin/issues                                            401 403 403 403 200 403
            POST   /admin/issues/{issueId}/close                            401 403 403 403 200 403
            GET    /admin/approval-requests                                 401 404 404 200 200 403
            POST   /admin/approval-requests/{approvalRequestId}/approve     401 404 404 403 200 403
            GET    /admin/workflows                                         401 403 403 403 200 403
            POST   /admin/workflows                                         401 403 403 403 201 403
            GET    /admin/workflows/{workflowId}                            401 403 403 403 200 403
            PUT    /admin/workflows/{workflowId}                            401 403 403 403 200 403
            GET    /admin/run-limits/{budgetId}                             401 403 403 403 200 403
            PUT    /admin/run-limits/{budgetId}                             401 403 403 403 200 403
            DELETE /admin/run-limits/{budgetId}                             401 403 403 403 200 403
            GET    /admin/callbacks                                         401 403 403 403 200 403
            GET    /admin/callbacks/{runId}                                 401 403 403 403 200 403
            POST   /admin/callbacks/{runId}/redeliver                       401 403 403 403 202 403
            """;
    // @formatter:on

    /** The request each operation is called with: real ids of the owner's resources, a valid body. */
    Map<String, Function<RequestSpecification, io.restassured.response.Response>> requests() {
        JsonNode s = p.stack;
        String budget = s.get("budget_id").asText();
        String product = s.get("product_id").asText();
        String workflow = s.get("workflow_id").asText();
        String bundle = s.get("bundle_id").asText();
        Map<String, Function<RequestSpecification, io.restassured.response.Response>> r = new LinkedHashMap<>();
        r.put("GET /health", q -> q.get("/health"));
        r.put("GET /public/jwt-public-key", q -> q.get("/public/jwt-public-key"));
        r.put("GET /.well-known/jwks.json", q -> q.get("/.well-known/jwks.json"));
        r.put("GET /embed.js", q -> q.get("/embed.js"));
        r.put("GET /embed/{workflowId}", q -> q.get("/embed/" + workflow));
        r.put("GET /embed/bundle/{bundleId}", q -> q.get("/embed/bundle/" + bundle));
        r.put("GET /embed/product/{productId}", q -> q.get("/embed/product/" + product));
        r.put("POST /auth/token", q -> q.body(Map.of("api_key", "tg_not_a_key")).post("/auth/token"));
        r.put("GET /auth/me", q -> q.get("/auth/me"));
        r.put("GET /credits/balance", q -> q.get("/credits/balance"));
        r.put("GET /credits/history", q -> q.get("/credits/history"));
        r.put("GET /products/fetch", q -> q.get("/products/fetch"));
        r.put("POST /products/purchase", q -> q.header("Idempotency-Key", unique())
                .body(Map.of("product_id", product, "parameters", Map.of("action", "analyze", "text", "a b")))
                .post("/products/purchase"));
        r.put("POST /issues/report", q -> q.body(Map.of("product_id", product, "error_message", "broken"))
                .post("/issues/report"));
        r.put("GET /bundles/{bundleId}", q -> q.get("/bundles/" + bundle));
        r.put("POST /api/agent-webhooks/{workflowId}/trigger", q -> q.body(Map.of("prompt", "hi", "request_id",
                unique())).post("/api/agent-webhooks/" + workflow + "/trigger"));
        r.put("GET /api/agent-webhooks/runs/{runId}", q -> q.get("/api/agent-webhooks/runs/" + p.runId));
        r.put("GET /api/agent-webhooks/runs/{runId}/events", q -> q.get("/api/agent-webhooks/runs/" + p.runId
                + "/events"));
        r.put("POST /api/agent-webhooks/runs/{runId}/cancel", q -> q.body(Map.of("reason", "matrix"))
                .post("/api/agent-webhooks/runs/" + p.runId + "/cancel"));
        r.put("GET /api/agent-webhooks/signing-secret", q -> q.get("/api/agent-webhooks/signing-secret"));
        r.put("POST /api/agent-webhooks/signing-secret/rotate", q -> q.body("{}")
                .post("/api/agent-webhooks/signing-secret/rotate"));
        r.put("POST /admin/credits/grants", q -> q.header("Idempotency-Key", unique())
                .body(Map.of("user_id", s.get("user_id").asText(), "amount_credits", 1, "credit_type", "admin_grant"))
                .post("/admin/credits/grants"));
        r.put("POST /admin/credits/grants/{grantId}/revoke", q -> q.header("Idempotency-Key", unique())
                .body(Map.of("amount_credits", 1)).post("/admin/credits/grants/" + p.grantId + "/revoke"));
        r.put("GET /admin/products", q -> q.get("/admin/products"));
        r.put("POST /admin/products", q -> q.body(productDefinition()).post("/admin/products"));
        r.put("GET /admin/products/{productId}", q -> q.get("/admin/products/" + product));
        r.put("PUT /admin/products/{productId}", q -> q.body(productDefinition())
                .put("/admin/products/" + p.spareProductId));
        r.put("POST /admin/products/{productId}/retire", q -> q.post("/admin/products/" + p.spareProductId + "/retire"));
        r.put("POST /admin/budgets", q -> q.body(Map.of("owner_user_id", "u-" + unique(), "name", "b"))
                .post("/admin/budgets"));
        r.put("GET /admin/budgets/{budgetId}", q -> q.get("/admin/budgets/" + budget));
        r.put("PUT /admin/budgets/{budgetId}/products/{productId}", q -> q
                .put("/admin/budgets/" + budget + "/products/" + product));
        r.put("DELETE /admin/budgets/{budgetId}/products/{productId}", q -> q
                .delete("/admin/budgets/" + budget + "/products/" + p.spareProductId));
        r.put("PUT /admin/budgets/{budgetId}/workflows/{workflowId}", q -> q
                .put("/admin/budgets/" + budget + "/workflows/" + workflow));
        r.put("DELETE /admin/budgets/{budgetId}/workflows/{workflowId}", q -> q
                .delete("/admin/budgets/" + budget + "/workflows/never-added"));
        r.put("PUT /admin/budgets/{budgetId}/credentials/{credentialKey}", q -> q.body(Map.of("value", "secret-1234"))
                .put("/admin/budgets/" + budget + "/credentials/matrix_key"));
        r.put("POST /admin/budgets/{budgetId}/api-keys", q -> q.body(Map.of("label", "matrix"))
                .post("/admin/budgets/" + budget + "/api-keys"));
        r.put("GET /admin/budgets/{budgetId}/api-keys", q -> q.get("/admin/budgets/" + budget + "/api-keys"));
        r.put("DELETE /admin/budgets/{budgetId}/api-keys/{keyId}", q -> q
                .delete("/admin/budgets/" + budget + "/api-keys/" + spareKeyId));
        r.put("POST /admin/bundles", q -> q.body(Map.of("name", "matrix", "product_ids", List.of(product)))
                .post("/admin/bundles"));
        r.put("GET /admin/issues", q -> q.get("/admin/issues"));
        r.put("POST /admin/issues/{issueId}/close", q -> q.body(Map.of("resolution", "fixed"))
                .post("/admin/issues/" + p.issueId + "/close"));
        r.put("GET /admin/approval-requests", q -> q.queryParam("budget_id", budget).get("/admin/approval-requests"));
        r.put("POST /admin/approval-requests/{approvalRequestId}/approve", q -> q.body("{}")
                .post("/admin/approval-requests/" + p.approvalRequestId + "/approve"));
        r.put("GET /admin/workflows", q -> q.get("/admin/workflows"));
        r.put("POST /admin/workflows", q -> q.body(workflowDefinition()).post("/admin/workflows"));
        r.put("GET /admin/workflows/{workflowId}", q -> q.get("/admin/workflows/" + workflow));
        r.put("PUT /admin/workflows/{workflowId}", q -> q.body(workflowDefinition())
                .put("/admin/workflows/" + s.get("blocked_workflow_id").asText()));
        r.put("GET /admin/run-limits/{budgetId}", q -> q.get("/admin/run-limits/" + budget));
        r.put("PUT /admin/run-limits/{budgetId}", q -> q.body(Map.of("max_concurrent_runs", 0))
                .put("/admin/run-limits/" + budget));
        r.put("DELETE /admin/run-limits/{budgetId}", q -> q.delete("/admin/run-limits/" + budget));
        r.put("GET /admin/callbacks", q -> q.get("/admin/callbacks"));
        r.put("GET /admin/callbacks/{runId}", q -> q.get("/admin/callbacks/" + p.calledBackRunId));
        r.put("POST /admin/callbacks/{runId}/redeliver", q -> q
                .post("/admin/callbacks/" + p.calledBackRunId + "/redeliver"));
        return r;
    }

    String spareKeyId;

    static String unique() {
        return UUID.randomUUID().toString();
    }

    static Map<String, Object> productDefinition() {
        String u = unique().substring(0, 8);
        return Map.of("slug", "m-" + u, "name", "m_" + u, "display_name", "Matrix", "description", "made by the matrix",
                "price_credits", 1, "invocation", Map.of("type", "builtin", "tool", "wait"));
    }

    static Map<String, Object> workflowDefinition() {
        return Map.of("name", "matrix", "steps", List.of(Map.of("id", "answer", "type", "template",
                "template", "{prompt}")));
    }

    @Test
    void everyOperationAnswersEachCallerAsTheTableSays() {
        // A key of the owner's budget for the revocation row (revoked by the first caller allowed to).
        spareKeyId = HostilePlatform.text(p.post(Caller.ADMIN, "/admin/budgets/" + p.stack.get("budget_id").asText()
                + "/api-keys", Map.of("label", "spare")), "key_id");
        Map<String, Function<RequestSpecification, io.restassured.response.Response>> requests = requests();
        Caller[] callers = Caller.values();
        List<String> wrong = new ArrayList<>();
        StringBuilder observed = new StringBuilder();
        TreeSet<String> documented = new TreeSet<>();
        for (String line : MATRIX.strip().split("\n")) {
            String[] cells = line.trim().split("\\s+");
            String operation = cells[0] + " " + cells[1];
            documented.add(operation);
            var request = requests.get(operation);
            assertTrue(request != null, "no request for " + operation);
            observed.append(String.format("%-6s %-56s", cells[0], cells[1]));
            for (int i = 0; i < callers.length; i++) {
                RequestSpecification spec = given().baseUri(p.gateway).contentType("application/json")
                        .redirects().follow(false);
                if (callers[i] != Caller.NONE) {
                    spec = spec.auth().oauth2(p.tokens.get(callers[i]));
                }
                int status = request.apply(spec).statusCode();
                observed.append(' ').append(status);
                int expected = Integer.parseInt(cells[2 + i]);
                if (status != expected) {
                    wrong.add(operation + " as " + callers[i] + ": " + status + ", expected " + expected);
                }
            }
            observed.append('\n');
        }
        assertEquals(documented, operationsInTheServedDocument(),
                "the table lists exactly the operations of the served document");
        assertTrue(wrong.isEmpty(), String.join("\n", wrong) + "\n\nobserved:\n" + observed);
    }

    /** {@code METHOD /path} of every operation in {@code /q/openapi}. */
    TreeSet<String> operationsInTheServedDocument() {
        TreeSet<String> operations = new TreeSet<>();
        JsonNode paths = FuzzTargets.document(p).path("paths");
        paths.fieldNames().forEachRemaining(path -> paths.get(path).fieldNames().forEachRemaining(method -> {
            if (FuzzTargets.METHODS.contains(method)) {
                operations.add(method.toUpperCase() + " " + path);
            }
        }));
        return operations;
    }
}
