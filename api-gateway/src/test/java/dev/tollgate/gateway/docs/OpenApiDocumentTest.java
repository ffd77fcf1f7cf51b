package dev.tollgate.gateway.docs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.ws.rs.HttpMethod;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the gateway serves is the published public contract (guide: {@code docs/api.md}) plus
 * Tollgate's additions and the admin APIs, and nothing else: a path missing, misspelled or added by accident fails.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class OpenApiDocumentTest {

    /** Who may call an operation, as the document must say it. */
    enum Access { PUBLIC, BEARER }

    /** The error style of a path's errors (the contract's two families). */
    enum Family { API, WEBHOOKS, HTML }

    record Op(String method, String path, Access access, Family family, boolean admin) {
        String key() {
            return method + " " + path;
        }
    }

    /** Every public operation, in the order of the contract, then Tollgate's additions, then the admin APIs. */
    static final List<Op> PUBLIC_API = List.of(
            // the contract
            op("GET /credits/balance", Access.BEARER, Family.API),
            op("GET /credits/history", Access.BEARER, Family.API),
            op("GET /products/fetch", Access.BEARER, Family.API),
            op("POST /products/purchase", Access.BEARER, Family.API),
            op("POST /issues/report", Access.BEARER, Family.API),
            op("POST /api/agent-webhooks/{workflowId}/trigger", Access.BEARER, Family.WEBHOOKS),
            op("GET /api/agent-webhooks/runs/{runId}", Access.BEARER, Family.WEBHOOKS),
            op("POST /api/agent-webhooks/runs/{runId}/cancel", Access.BEARER, Family.WEBHOOKS),
            op("GET /health", Access.PUBLIC, Family.API),
            op("GET /public/jwt-public-key", Access.PUBLIC, Family.API),
            op("GET /embed.js", Access.PUBLIC, Family.HTML),
            op("GET /embed/{workflowId}", Access.PUBLIC, Family.HTML),
            op("GET /embed/bundle/{bundleId}", Access.PUBLIC, Family.HTML),
            op("GET /embed/product/{productId}", Access.PUBLIC, Family.HTML),
            // Tollgate's additions
            op("POST /auth/token", Access.PUBLIC, Family.API),
            op("GET /auth/me", Access.BEARER, Family.API),
            op("GET /.well-known/jwks.json", Access.PUBLIC, Family.API),
            op("GET /api/agent-webhooks/runs/{runId}/events", Access.BEARER, Family.WEBHOOKS),
            op("GET /api/agent-webhooks/signing-secret", Access.BEARER, Family.WEBHOOKS),
            op("POST /api/agent-webhooks/signing-secret/rotate", Access.BEARER, Family.WEBHOOKS),
            op("GET /bundles/{bundleId}", Access.BEARER, Family.API),
            // admin: credits-service
            admin("POST /admin/credits/grants", Family.API),
            admin("POST /admin/credits/grants/{grantId}/revoke", Family.API),
            // admin: catalog-service
            admin("GET /admin/products", Family.API),
            admin("POST /admin/products", Family.API),
            admin("GET /admin/products/{productId}", Family.API),
            admin("PUT /admin/products/{productId}", Family.API),
            admin("POST /admin/products/{productId}/retire", Family.API),
            admin("POST /admin/budgets", Family.API),
            admin("GET /admin/budgets/{budgetId}", Family.API),
            admin("PUT /admin/budgets/{budgetId}/products/{productId}", Family.API),
            admin("DELETE /admin/budgets/{budgetId}/products/{productId}", Family.API),
            admin("PUT /admin/budgets/{budgetId}/workflows/{workflowId}", Family.API),
            admin("DELETE /admin/budgets/{budgetId}/workflows/{workflowId}", Family.API),
            admin("PUT /admin/budgets/{budgetId}/credentials/{credentialKey}", Family.API),
            admin("POST /admin/budgets/{budgetId}/api-keys", Family.API),
            admin("GET /admin/budgets/{budgetId}/api-keys", Family.API),
            admin("DELETE /admin/budgets/{budgetId}/api-keys/{keyId}", Family.API),
            admin("POST /admin/bundles", Family.API),
            admin("GET /admin/issues", Family.API),
            admin("POST /admin/issues/{issueId}/close", Family.API),
            admin("GET /admin/approval-requests", Family.API),
            admin("POST /admin/approval-requests/{approvalRequestId}/approve", Family.API),
            // admin: workflow-service
            admin("GET /admin/workflows", Family.WEBHOOKS),
            admin("POST /admin/workflows", Family.WEBHOOKS),
            admin("GET /admin/workflows/{workflowId}", Family.WEBHOOKS),
            admin("PUT /admin/workflows/{workflowId}", Family.WEBHOOKS),
            admin("GET /admin/run-limits/{budgetId}", Family.WEBHOOKS),
            admin("PUT /admin/run-limits/{budgetId}", Family.WEBHOOKS),
            admin("DELETE /admin/run-limits/{budgetId}", Family.WEBHOOKS),
            // admin: callback-service
            admin("GET /admin/callbacks", Family.WEBHOOKS),
            admin("GET /admin/callbacks/{runId}", Family.WEBHOOKS),
            admin("POST /admin/callbacks/{runId}/redeliver", Family.WEBHOOKS));

    /** The contract's run object, every field (the status endpoint and the callback body). */
    static final Set<String> RUN_FIELDS = Set.of("run_id", "workflow_id", "status", "prompt", "response_text",
            "session_id", "model", "error_code", "error_message", "callback_url", "callback_status",
            "callback_last_status", "callback_last_error", "callback_attempted_at", "callback_delivered_at",
            "request_metadata", "run_metadata", "created_at", "updated_at", "started_at", "completed_at",
            "cancel_requested_at", "cancel_requested_by_user_id", "cancel_request_id", "cancel_reason");

    static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    static Op op(String methodAndPath, Access access, Family family) {
        String[] parts = methodAndPath.split(" ", 2);
        return new Op(parts[0], parts[1], access, family, false);
    }

    static Op admin(String methodAndPath, Family family) {
        String[] parts = methodAndPath.split(" ", 2);
        return new Op(parts[0], parts[1], Access.BEARER, family, true);
    }

    final ObjectMapper mapper = new ObjectMapper();
    String json;
    JsonNode doc;

    @BeforeEach
    void fetch() throws IOException {
        json = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        doc = mapper.readTree(json);
    }

    @Test
    void documentsEveryPublicOperationAndNothingElse() {
        Set<String> documented = operations();
        Set<String> expected = PUBLIC_API.stream().map(Op::key).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(documented);
        Set<String> unexpected = new TreeSet<>(documented);
        unexpected.removeAll(expected);
        assertTrue(missing.isEmpty(), "operations of the public API missing from the document: " + missing);
        assertTrue(unexpected.isEmpty(), "operations in the document that are not part of the public API: " + unexpected);
    }

    /**
     * What is served is exactly the written contract: annotation scanning would merge generic schemas and "OK"
     * descriptions into the written operations, and Quarkus's auto-added security would add a second scheme.
     */
    @Test
    void servesTheWrittenDocumentUnchanged() throws IOException {
        JsonNode written;
        try (var in = getClass().getClassLoader().getResourceAsStream("META-INF/openapi.yaml")) {
            assertNotNull(in, "META-INF/openapi.yaml on the classpath");
            written = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        Comparator<JsonNode> numbersByValue = (a, b) -> a.isNumber() && b.isNumber()
                ? a.decimalValue().compareTo(b.decimalValue())
                : a.equals(b) ? 0 : 1;
        assertTrue(written.equals(numbersByValue, doc), "the served document differs from META-INF/openapi.yaml");
    }

    @Test
    void neverDocumentsAnInternalOrManagementPath() {
        doc.path("paths").fieldNames().forEachRemaining(path -> {
            assertFalse(path.contains("/internal"), "internal path in the public document: " + path);
            assertFalse(path.startsWith("/q/"), "management path in the public document: " + path);
        });
    }

    @Test
    void describesItselfAndBothErrorFamilies() {
        assertTrue(doc.path("openapi").asText().startsWith("3.1"), doc.path("openapi").asText());
        JsonNode info = doc.path("info");
        assertEquals("Tollgate public API", info.path("title").asText());
        assertFalse(info.path("version").asText().isBlank());
        String description = info.path("description").asText();
        assertTrue(description.contains("{\"detail\""), "the api family's error body is described");
        assertTrue(description.contains("{\"success\":false,\"error\""), "the webhooks family's error body is described");
        for (String schema : List.of("ApiError", "ValidationError", "WebhookError")) {
            assertTrue(doc.path("components").path("schemas").has(schema), "reusable error schema " + schema);
        }
        assertEquals(List.of("detail"), strings(schema("ApiError").path("required")));
        assertEquals("array", schema("ValidationError").path("properties").path("detail").path("type").asText());
        assertEquals(Set.of("success", "error", "message"), Set.copyOf(strings(schema("WebhookError").path("required"))));
    }

    @Test
    void runSchemaCarriesTheContractsFieldsAndEnums() {
        JsonNode run = schema("Run");
        assertEquals(RUN_FIELDS, fieldNames(run.path("properties")));
        assertEquals(RUN_FIELDS, Set.copyOf(strings(run.path("required"))), "every run field is always present");
        assertEquals(List.of("queued", "running", "completed", "failed", "setup_required", "cancelled"),
                strings(resolve(run.path("properties").path("status")).path("enum")));
        assertEquals(List.of("pending", "delivered", "failed", "skipped"),
                strings(resolve(run.path("properties").path("callback_status")).path("enum")));
        // Both answers that carry a run point at this one schema.
        for (String op : List.of("GET /api/agent-webhooks/runs/{runId}", "POST /api/agent-webhooks/runs/{runId}/cancel")) {
            JsonNode ok = jsonSchemaOf(response(op, "200"));
            assertEquals("#/components/schemas/Run",
                    resolve(resolve(ok).path("properties").path("data")).path("properties").path("run").path("$ref")
                            .asText(), op);
        }
    }

    @Test
    void theStatusLongPollAndTheRunEventStreamAreDocumented() {
        JsonNode wait = null;
        for (JsonNode parameter : doc.path("paths").path("/api/agent-webhooks/runs/{runId}").path("get")
                .path("parameters")) {
            if (parameter.path("name").asText().equals("wait_seconds")) {
                wait = parameter;
            }
        }
        assertTrue(wait != null, "GET runs/{runId} documents wait_seconds");
        assertEquals("query", wait.path("in").asText());
        assertFalse(wait.path("required").asBoolean());
        assertEquals(0, wait.path("schema").path("minimum").asInt());
        assertEquals(30, wait.path("schema").path("maximum").asInt());
        JsonNode stream = doc.path("paths").path("/api/agent-webhooks/runs/{runId}/events").path("get")
                .path("responses").path("200").path("content");
        assertTrue(stream.has("text/event-stream"), stream.toString());
    }

    @Test
    void bearerAuthIsRequiredExactlyWhereTheContractSaysSo() {
        JsonNode scheme = doc.path("components").path("securitySchemes").path("bearerAuth");
        assertEquals("http", scheme.path("type").asText());
        assertEquals("bearer", scheme.path("scheme").asText());
        assertEquals("JWT", scheme.path("bearerFormat").asText());
        assertEquals(Set.of("bearerAuth"), fieldNames(doc.path("components").path("securitySchemes")),
                "one security scheme only");
        assertTrue(doc.path("security").isMissingNode() || doc.path("security").isEmpty(), "no global requirement");
        for (Op op : PUBLIC_API) {
            JsonNode security = operation(op).path("security");
            if (op.access() == Access.BEARER) {
                assertEquals(1, security.size(), op.key() + " requires a bearer token");
                assertTrue(security.get(0).has("bearerAuth"), op.key());
                assertTrue(hasResponse(op, "401"), op.key() + " documents its 401");
            } else {
                assertTrue(security.isMissingNode() || security.isEmpty(), op.key() + " needs no token");
            }
        }
    }

    @Test
    void adminOperationsAreTaggedAdminAndOthersAreNot() {
        for (Op op : PUBLIC_API) {
            List<String> tags = strings(operation(op).path("tags"));
            assertFalse(tags.isEmpty(), op.key() + " has a tag");
            assertEquals(op.admin(), tags.contains("admin"), op.key() + " tags " + tags);
        }
    }

    @Test
    void errorsAreDocumentedInTheStyleOfTheirPathsFamily() {
        for (Op op : PUBLIC_API) {
            Iterator<Map.Entry<String, JsonNode>> responses = operation(op).path("responses").fields();
            while (responses.hasNext()) {
                var entry = responses.next();
                if (entry.getKey().startsWith("2")) {
                    continue;
                }
                JsonNode content = resolve(entry.getValue()).path("content");
                if (op.family() == Family.HTML && !entry.getKey().equals("429")) {
                    assertTrue(content.has("text/html"), op.key() + " " + entry.getKey() + " is an HTML page");
                    continue;
                }
                JsonNode schema = content.path("application/json").path("schema");
                if (schema.isMissingNode()) {
                    continue; // a bare status (e.g. the framework's own 413 on /auth/token)
                }
                String ref = schema.path("$ref").asText();
                Set<String> allowed = op.family() == Family.WEBHOOKS
                        ? Set.of("#/components/schemas/WebhookError", "#/components/schemas/WorkflowBlockedError")
                        : Set.of("#/components/schemas/ApiError", "#/components/schemas/ValidationError");
                if (op.family() == Family.HTML) {
                    allowed = Set.of("#/components/schemas/ApiError"); // the edge's 429 before any page renders
                }
                assertTrue(allowed.contains(ref), op.key() + " " + entry.getKey() + " answers " + ref);
                if (entry.getKey().equals("422")) {
                    assertEquals("#/components/schemas/ValidationError", ref, op.key() + " 422 is the FastAPI list");
                }
            }
        }
    }

    @Test
    void gatewayMadeErrorsAreDocumentedWhereTheGatewayAddsThem() {
        for (Op op : PUBLIC_API) {
            boolean proxied = op.path().startsWith("/credits") || op.path().startsWith("/products")
                    || op.path().startsWith("/issues") || op.path().startsWith("/bundles")
                    || op.path().startsWith("/api/agent-webhooks") || op.path().startsWith("/admin/");
            if (!op.path().equals("/health")) {
                assertTrue(hasResponse(op, "429"), op.key() + " can be rate-limited");
                assertTrue(resolve(response(op.key(), "429")).path("headers").has("Retry-After"), op.key() + " 429 Retry-After");
            }
            if (proxied) {
                assertTrue(hasResponse(op, "503"), op.key() + " 503 when its service is down");
                assertTrue(resolve(response(op.key(), "503")).path("headers").has("Retry-After"), op.key() + " 503 Retry-After");
                assertTrue(hasResponse(op, "504"), op.key() + " 504 when its service is silent");
                if (!operation(op).path("requestBody").isMissingNode()) {
                    assertTrue(hasResponse(op, "413"), op.key() + " 413 when its body is too large");
                }
            }
        }
        assertTrue(hasResponse(PUBLIC_API.stream().filter(o -> o.key().equals("POST /auth/token")).findFirst().orElseThrow(), "413"));
    }

    @Test
    void contractDetailsThatClientsDependOn() {
        // /products/fetch: page and page size from the query or the headers, and the instance headers.
        Set<String> fetchParameters = new TreeSet<>();
        for (JsonNode p : operation("GET /products/fetch").path("parameters")) {
            JsonNode resolved = resolve(p);
            fetchParameters.add(resolved.path("in").asText() + ":" + resolved.path("name").asText());
        }
        assertEquals(new TreeSet<>(Set.of("query:page", "query:page_size", "header:X-Page", "header:X-Page-Size",
                "header:x-instance-id", "header:x-instance-metadata")), fetchParameters);
        // POST /auth/token: {"api_key"} -> {"access_token","token_type":"Bearer","expires_in"}, 401 and 422.
        JsonNode tokenRequest = resolve(operation("POST /auth/token").path("requestBody").path("content")
                .path("application/json").path("schema"));
        assertEquals(List.of("api_key"), strings(tokenRequest.path("required")));
        JsonNode token = resolve(jsonSchemaOf(response("POST /auth/token", "200")));
        assertEquals(Set.of("access_token", "token_type", "expires_in"), Set.copyOf(strings(token.path("required"))));
        assertEquals("Bearer", token.path("properties").path("token_type").path("const").asText());
        assertTrue(response("POST /auth/token", "401") != null && response("POST /auth/token", "422") != null);
        // Trigger: 200 new run, 202 replay, 409 with the approval requests.
        assertNotNull(response("POST /api/agent-webhooks/{workflowId}/trigger", "202"));
        JsonNode blocked = resolve(jsonSchemaOf(response("POST /api/agent-webhooks/{workflowId}/trigger", "409")));
        assertEquals(List.of("workflow_not_on_budget", "missing_credentials", "setup_required"),
                strings(blocked.path("properties").path("error").path("enum")));
        // Credit transactions and the issue lookup spell their enums as the contract does.
        assertEquals(List.of("grant", "expiration", "revocation", "purchase"),
                strings(schema("CreditTransaction").path("properties").path("transaction_type").path("enum")));
        assertEquals(List.of("object_id", "slug", "exact_name", "not_found"), strings(schema("LookupMethod").path("enum")));
    }

    @Test
    void isAValidOpenApiDocument() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
        assertNotNull(result.getOpenAPI(), "parsed: " + result.getMessages());
        assertEquals(List.of(), result.getMessages(), "validation messages");
        assertEquals(PUBLIC_API.stream().map(Op::path).collect(Collectors.toCollection(TreeSet::new)),
                new TreeSet<>(result.getOpenAPI().getPaths().keySet()));
        // Every $ref points at something that exists.
        List<String> dangling = new ArrayList<>();
        refs(doc, dangling);
        assertEquals(List.of(), dangling, "dangling $refs");
    }

    /**
     * What the OpenAPI parser does not check in a 3.1 document: every schema {@code type} is a JSON Schema type, and
     * every {@code required} field is one of the schema's {@code properties} (a misspelled field fails here).
     */
    @Test
    void schemasNameRealTypesAndRequireOnlyTheirOwnProperties() {
        List<String> problems = new ArrayList<>();
        checkSchemas(doc.path("paths"), "#/paths", problems);
        checkSchemas(doc.path("components").path("schemas"), "#/components/schemas", problems);
        checkSchemas(doc.path("components").path("responses"), "#/components/responses", problems);
        checkSchemas(doc.path("components").path("parameters"), "#/components/parameters", problems);
        assertEquals(List.of(), problems);
    }

    @Test
    void everyEndpointTheGatewayServesItselfIsDocumentedOrDeliberatelyHidden() throws Exception {
        Set<String> documented = operations().stream().map(OpenApiDocumentTest::withoutParameterNames)
                .collect(Collectors.toSet());
        List<String> undocumented = new ArrayList<>();
        for (String endpoint : gatewayEndpoints()) {
            if (!documented.contains(withoutParameterNames(endpoint))) {
                undocumented.add(endpoint);
            }
        }
        assertEquals(List.of(), undocumented,
                "gateway endpoints missing from META-INF/openapi.yaml (or mark them @Operation(hidden = true))");
    }

    @Test
    void theShortAddressesServeTheDocumentItselfAndLeadToTheUi() {
        // 200 at once, no redirect: a generator or tool that does not follow redirects reads the document here.
        String json = given().redirects().follow(false).get("/openapi.json").then().statusCode(200)
                .contentType(startsWith("application/json")).extract().asString();
        assertEquals(doc, readTree(json));
        String yaml = given().redirects().follow(false).get("/openapi.yaml").then().statusCode(200)
                .contentType(startsWith("application/yaml")).extract().asString();
        assertTrue(yaml.startsWith("---") || yaml.startsWith("openapi:"), yaml.substring(0, Math.min(80, yaml.length())));
        assertTrue(yaml.contains("/api/agent-webhooks/{workflowId}/trigger"));
        given().redirects().follow(false).get("/docs").then().statusCode(302)
                .header("Location", ApiDocsResource.SWAGGER_UI);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private Set<String> operations() {
        Set<String> ops = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(m -> {
            if (HTTP_METHODS.contains(m)) {
                ops.add(m.toUpperCase() + " " + path.getKey());
            }
        }));
        return ops;
    }

    private JsonNode operation(Op op) {
        return operation(op.key());
    }

    private JsonNode operation(String key) {
        String[] parts = key.split(" ", 2);
        JsonNode operation = doc.path("paths").path(parts[1]).path(parts[0].toLowerCase());
        assertFalse(operation.isMissingNode(), "no operation " + key);
        return operation;
    }

    private JsonNode response(String key, String status) {
        JsonNode response = operation(key).path("responses").path(status);
        assertFalse(response.isMissingNode(), key + " documents no " + status);
        return response;
    }

    private boolean hasResponse(Op op, String status) {
        return operation(op).path("responses").has(status);
    }

    private JsonNode jsonSchemaOf(JsonNode response) {
        return resolve(response).path("content").path("application/json").path("schema");
    }

    private JsonNode schema(String name) {
        JsonNode schema = doc.path("components").path("schemas").path(name);
        assertFalse(schema.isMissingNode(), "no schema " + name);
        return schema;
    }

    /** Follows a local {@code $ref} ({@code #/components/...}), or answers the node itself. */
    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            node = doc.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    private void refs(JsonNode node, List<String> dangling) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && (!ref.asText().startsWith("#/") || doc.at(ref.asText().substring(1)).isMissingNode())) {
                dangling.add(ref.asText());
            }
            node.elements().forEachRemaining(child -> refs(child, dangling));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> refs(child, dangling));
        }
    }

    static final Set<String> VALUES = Set.of("example", "examples", "default", "const", "enum");

    static final Set<String> JSON_TYPES = Set.of("object", "array", "string", "integer", "number", "boolean", "null");

    private static void checkSchemas(JsonNode node, String at, List<String> problems) {
        if (node.isObject()) {
            JsonNode type = node.get("type");
            if (type != null && (type.isTextual() || type.isArray())) {
                for (JsonNode t : type.isArray() ? type : List.of(type)) {
                    if (!JSON_TYPES.contains(t.asText())) {
                        problems.add(at + ": type " + t);
                    }
                }
            }
            JsonNode required = node.get("required");
            JsonNode properties = node.get("properties");
            if (required != null && required.isArray() && properties != null && properties.isObject()) {
                required.forEach(r -> {
                    if (!properties.has(r.asText())) {
                        problems.add(at + ": requires " + r + ", which is not among its properties");
                    }
                });
            }
            node.fields().forEachRemaining(e -> {
                if (!VALUES.contains(e.getKey())) { // example data is not a schema
                    checkSchemas(e.getValue(), at + "/" + e.getKey(), problems);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkSchemas(node.get(i), at + "/" + i, problems);
            }
        }
    }

    private JsonNode readTree(String text) {
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static String withoutParameterNames(String endpoint) {
        return endpoint.replaceAll("\\{[^}]*}", "{}");
    }

    /**
     * The JAX-RS endpoints compiled into the gateway ({@code METHOD /path}), read from its classes by reflection, minus
     * those marked {@code @Operation(hidden = true)}.
     */
    static List<String> gatewayEndpoints() throws IOException, ClassNotFoundException {
        Path classes = Path.of("target/classes");
        List<String> endpoints = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, OpenApiDocumentTest.class.getClassLoader());
                jakarta.ws.rs.Path base = type.getAnnotation(jakarta.ws.rs.Path.class);
                // REST client interfaces describe calls the gateway makes to its services, not endpoints it serves.
                if (base == null || type.isAnnotationPresent(
                        org.eclipse.microprofile.rest.client.inject.RegisterRestClient.class)) {
                    continue;
                }
                for (Method method : type.getDeclaredMethods()) {
                    String verb = Stream.of(method.getAnnotations())
                            .map(a -> a.annotationType().getAnnotation(HttpMethod.class))
                            .filter(java.util.Objects::nonNull).map(HttpMethod::value).findFirst().orElse(null);
                    Operation operation = method.getAnnotation(Operation.class);
                    if (verb == null || (operation != null && operation.hidden())) {
                        continue;
                    }
                    jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
                    String path = ("/" + base.value() + "/" + (sub == null ? "" : sub.value())).replaceAll("/+", "/");
                    if (path.length() > 1 && path.endsWith("/")) {
                        path = path.substring(0, path.length() - 1);
                    }
                    endpoints.add(verb + " " + path.replaceAll("\\{([^}:]+):[^}]*}", "{$1}"));
                }
            }
        }
        assertFalse(endpoints.isEmpty(), "found the gateway's resources under " + classes.toAbsolutePath());
        return endpoints;
    }
}
