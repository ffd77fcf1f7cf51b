package dev.tollgate.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.localstack.launcher.LocalPlatform;
import dev.tollgate.localstack.testing.TestTokens;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embed widget in a real browser (headless Chromium driven by Playwright from Node) against the whole platform
 * started by {@code deploy/local/up}: a host page on another origin includes {@code <gateway>/embed.js}, and each
 * scenario of {@code e2e-tests/browser/embed-widget.mjs} plays a visitor. Screenshots land in
 * {@code e2e-tests/target/screenshots/}.
 */
class EmbedWidgetBrowserTest {

    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path workDir;

    static LocalPlatform platform;
    static HttpServer hostSite;
    static Map<String, String> scenarioEnvironment;
    static Path browserDir;
    static Path screenshots;

    @BeforeAll
    static void startPlatformAndHostSite() throws Exception {
        Path root = Path.of(System.getProperty("tollgate.root", "..")).toAbsolutePath().normalize();
        browserDir = root.resolve("e2e-tests/browser");
        screenshots = root.resolve("e2e-tests/target/screenshots");
        // Checked first, so a machine without the browser fails at once, saying what to install.
        String chromium = chromiumPath();
        run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"), Map.of(), Duration.ofMinutes(5),
                "installing playwright-core (npm ci in e2e-tests/browser)");

        platform = new LocalPlatform(workDir);
        LocalPlatform.Result up = platform.up();
        assertEquals(0, up.exitCode(), up.output());
        String gateway = platform.url("gateway");
        PlatformData data = PlatformData.create(gateway, TestTokens.token("embed-e2e-admin", null,
                Set.of("user", "admin"), Duration.ofMinutes(30), TestTokens.readPrivateKey(platform.privateKey())));

        hostSite = HostSite.start(gateway, data);
        Map<String, String> e = new LinkedHashMap<>();
        e.put("GATEWAY_URL", gateway);
        // "localhost", not 127.0.0.1: another origin and another site than the gateway, as a customer's site is.
        e.put("HOST_URL", "http://localhost:" + hostSite.getAddress().getPort());
        e.put("API_KEY", data.apiKey());
        e.put("USER_ID", data.userId());
        e.put("ECHO_WORKFLOW_ID", data.echoWorkflowId());
        e.put("SLOW_WORKFLOW_ID", data.slowWorkflowId());
        e.put("PRODUCT_ID", data.productId());
        e.put("BUNDLE_ID", data.bundleId());
        e.put("MISSING_WORKFLOW_ID", PlatformData.MISSING_WORKFLOW_ID);
        e.put("SCREENSHOT_DIR", screenshots.toString());
        e.put("CHROMIUM_PATH", chromium);
        scenarioEnvironment = e;
    }

    @AfterAll
    static void stopEverything() {
        if (hostSite != null) {
            hostSite.stop(0);
        }
        if (platform != null) {
            platform.down();
        }
    }

    @Test
    void aVisitorOpensTheChatSignsInWithTheirKeyAndGetsTheWorkflowsAnswer() throws Exception {
        scenario("chat", "chat-3-answer.png", "chat-4-320px.png");
    }

    @Test
    void aRunningRunCanBeCancelledFromTheChat() throws Exception {
        scenario("cancel", "cancel-2-cancelled.png");
    }

    @Test
    void theProductFormBuysACallAndShowsTheResultAndTheCreditsCharged() throws Exception {
        scenario("product", "product-2-field-error.png", "product-3-result.png");
    }

    @Test
    void aBundleOffersItsChatsAndTools() throws Exception {
        scenario("bundle", "bundle-1-picker.png", "bundle-2-chat.png");
    }

    @Test
    void anUnknownWorkflowIsAReadable404PageInTheFrame() throws Exception {
        scenario("missing", "missing-1-404-in-frame.png");
    }

    private static void scenario(String name, String... expectedScreenshots) throws Exception {
        String output = run(List.of("node", "embed-widget.mjs", name), scenarioEnvironment, NODE_TIMEOUT,
                "browser scenario " + name);
        assertTrue(output.lines().anyMatch(line -> line.equals("PASS " + name)), output);
        for (String screenshot : expectedScreenshots) {
            assertTrue(Files.size(screenshots.resolve(screenshot)) > 0, screenshot + " missing; output:\n" + output);
        }
    }

    /** Runs a command in e2e-tests/browser; fails with its output unless it exits 0 in time. */
    private static String run(List<String> command, Map<String, String> env, Duration timeout, String what)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("embed-browser", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(browserDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError(what + ": cannot run " + command.getFirst() + " (" + e.getMessage()
                    + "). The browser tests need Node.js 20+ with npm on the PATH.", e);
        }
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail(what + " did not finish within " + timeout + ":\n" + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), what + " failed:\n" + output);
        return output;
    }

    /**
     * The system's Chromium: Playwright cannot download a browser here, and a test that quietly skipped without one
     * would hide a broken widget.
     */
    private static String chromiumPath() {
        String configured = System.getenv("CHROMIUM_PATH");
        Path path = Path.of(configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured);
        if (!Files.isExecutable(path)) {
            fail("The embed widget's browser tests need Chromium at " + path + ". Install it with "
                    + "`sudo apt-get install chromium` (Debian/Ubuntu), or point CHROMIUM_PATH at a Chromium or "
                    + "Chrome binary.");
        }
        return path.toString();
    }

    /** What the scenarios use, made through the admin APIs behind the gateway with a platform-signed admin token. */
    record PlatformData(String userId, String apiKey, String echoWorkflowId, String slowWorkflowId, String productId,
            String bundleId) {

        static final String MISSING_WORKFLOW_ID = "0123456789abcdef01234567";

        static PlatformData create(String gateway, String adminToken) {
            String u = UUID.randomUUID().toString().substring(0, 8);
            String userId = "visitor-" + u;
            String budgetId = admin(gateway, adminToken).body(Map.of("owner_user_id", userId, "name", "Embed visitor"))
                    .post("/admin/budgets").then().statusCode(201).extract().path("data.budget_id");

            String echo = workflow(gateway, adminToken, Map.of("name", "Echo bot", "description", "Repeats what you say",
                    "steps", List.of(Map.of("id", "answer", "type", "template", "template", "You said: {prompt}"))));
            // Free wait steps: cancellation is checked between steps, so a request made during the first one lands
            // within two seconds.
            String waitTool = product(gateway, adminToken, "wait-" + u, "wait_" + u, "Wait", 0, "wait");
            String slow = workflow(gateway, adminToken, Map.of("name", "Slow bot", "description", "Takes its time",
                    "steps", List.of(
                            Map.of("id", "first", "type", "tool", "product_id", waitTool, "action", "wait",
                                    "parameters", Map.of("seconds", 2)),
                            Map.of("id", "second", "type", "tool", "product_id", waitTool, "action", "wait",
                                    "parameters", Map.of("seconds", 2)),
                            Map.of("id", "answer", "type", "template", "template", "You said: {prompt}"))));
            String textStats = product(gateway, adminToken, "text-stats-" + u, "text_stats_" + u, "Text statistics", 5,
                    "text_stats");
            for (String workflowId : List.of(echo, slow)) {
                admin(gateway, adminToken).put("/admin/budgets/" + budgetId + "/workflows/" + workflowId).then()
                        .statusCode(200);
            }
            for (String productId : List.of(waitTool, textStats)) {
                admin(gateway, adminToken).put("/admin/budgets/" + budgetId + "/products/" + productId).then()
                        .statusCode(200);
            }
            admin(gateway, adminToken).header("Idempotency-Key", "embed-e2e-" + u)
                    .body(Map.of("user_id", userId, "amount_credits", 1000, "credit_type", "admin_grant"))
                    .post("/admin/credits/grants").then().statusCode(201);
            String bundleId = admin(gateway, adminToken).body(Map.of("name", "Help desk",
                    "description", "Chat with us or analyse a text", "product_ids", List.of(textStats),
                    "workflow_ids", List.of(echo)))
                    .post("/admin/bundles").then().statusCode(201).extract().path("data.bundle.bundle_id");
            String apiKey = admin(gateway, adminToken).body(Map.of("label", "embed widget e2e"))
                    .post("/admin/budgets/" + budgetId + "/api-keys").then().statusCode(201)
                    .extract().path("data.api_key");
            return new PlatformData(userId, apiKey, echo, slow, textStats, bundleId);
        }

        private static String workflow(String gateway, String adminToken, Map<String, Object> definition) {
            return admin(gateway, adminToken).body(definition).post("/admin/workflows").then().statusCode(201)
                    .extract().path("data.workflow.workflow_id");
        }

        private static String product(String gateway, String adminToken, String slug, String name, String displayName,
                long price, String builtinTool) {
            return admin(gateway, adminToken).body(Map.of("slug", slug, "name", name, "display_name", displayName,
                    "description", displayName + " (built-in " + builtinTool + ")", "price_credits", price,
                    "invocation", Map.of("type", "builtin", "tool", builtinTool)))
                    .post("/admin/products").then().statusCode(201).extract().path("data.product.product_id");
        }

        private static RequestSpecification admin(String gateway, String adminToken) {
            return given().baseUri(gateway).auth().oauth2(adminToken).contentType("application/json");
        }
    }

    /**
     * A customer's site: static pages that embed the widget the way the README tells them to, served from another
     * origin than the gateway.
     */
    static final class HostSite {

        private HostSite() {
        }

        static HttpServer start(String gateway, PlatformData data) {
            Map<String, String> pages = Map.of(
                    "/workflow.html", page("Acme shop", "<script src=\"" + gateway + "/embed.js\" data-workflow-id=\""
                            + data.echoWorkflowId() + "\" data-title=\"Echo bot\" async></script>"),
                    "/product.html", page("Acme tools", "<script src=\"" + gateway + "/embed.js\" data-product-id=\""
                            + data.productId() + "\" data-title=\"Text statistics\" data-position=\"bottom-left\" "
                            + "async></script>"),
                    "/bundle.html", page("Acme help", "<script src=\"" + gateway + "/embed.js\" data-bundle-id=\""
                            + data.bundleId() + "\" data-title=\"Help desk\" async></script>"),
                    "/missing.html", page("Acme broken", "<script src=\"" + gateway + "/embed.js\" data-workflow-id=\""
                            + PlatformData.MISSING_WORKFLOW_ID + "\" async></script>"));
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                server.createContext("/", exchange -> {
                    String body = pages.get(exchange.getRequestURI().getPath());
                    byte[] bytes = (body == null ? "not found" : body).getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                    exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
                    exchange.getResponseBody().write(bytes);
                    exchange.close();
                });
                server.start();
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String page(String title, String embedCode) {
            return """
                    <!DOCTYPE html>
                    <html lang="en"><head><meta charset="utf-8">
                    <meta name="viewport" content="width=device-width, initial-scale=1"><title>%s</title></head>
                    <body><h1>%s</h1><p>A customer's page. <a id="host-link" href="#top">Top</a></p>
                    %s
                    </body></html>
                    """.formatted(title, title, embedCode);
        }
    }
}
