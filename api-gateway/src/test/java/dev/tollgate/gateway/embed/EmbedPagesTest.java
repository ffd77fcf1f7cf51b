package dev.tollgate.gateway.embed;

import static dev.tollgate.gateway.embed.LookupServicesStub.BARE_404_WORKFLOW;
import static dev.tollgate.gateway.embed.LookupServicesStub.BUNDLE;
import static dev.tollgate.gateway.embed.LookupServicesStub.DELETED_WORKFLOW;
import static dev.tollgate.gateway.embed.LookupServicesStub.FAILING_WORKFLOW;
import static dev.tollgate.gateway.embed.LookupServicesStub.HANGING_WORKFLOW;
import static dev.tollgate.gateway.embed.LookupServicesStub.HOSTILE_NAME;
import static dev.tollgate.gateway.embed.LookupServicesStub.HOSTILE_WORKFLOW;
import static dev.tollgate.gateway.embed.LookupServicesStub.PRODUCT_ID;
import static dev.tollgate.gateway.embed.LookupServicesStub.PRODUCT_SLUG;
import static dev.tollgate.gateway.embed.LookupServicesStub.REQUESTS;
import static dev.tollgate.gateway.embed.LookupServicesStub.RETIRED_PRODUCT;
import static dev.tollgate.gateway.embed.LookupServicesStub.WORKFLOW;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/** The embed pages against stand-ins for catalog- and workflow-service: found, unknown, malformed, unavailable. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(LookupServicesStub.class)
class EmbedPagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CONFIG = Pattern.compile(
            "<script type=\"application/json\" id=\"embed-config\">(.*?)</script>", Pattern.DOTALL);

    @Test
    void aWorkflowPageShowsTheLookedUpWorkflowAndHandsItToItsScripts() throws Exception {
        String html = page(given().get("/embed/" + WORKFLOW).then().statusCode(200));
        assertTrue(html.contains("<title>Support bot</title>"), html);
        assertTrue(html.contains("<h1 class=\"tg-title\">Support bot</h1>"), html);
        assertTrue(html.contains("Answers questions about your orders"), html);
        // Assets are relative to the page (works under a path prefix) and are files, never inline.
        assertTrue(html.contains("<script type=\"module\" src=\"../embed-assets/app.js\"></script>"), html);
        assertTrue(html.contains("<link rel=\"stylesheet\" href=\"../embed-assets/embed.css\">"), html);
        assertFalse(html.contains("<style") || html.contains(" style=") || Pattern.compile(" on[a-z]+=").matcher(html).find(),
                html);

        JsonNode config = config(html);
        assertEquals("workflow", config.path("kind").asText());
        assertEquals(WORKFLOW, config.at("/workflow/workflow_id").asText());
        assertEquals("Support bot", config.at("/workflow/name").asText());
    }

    @Test
    void theGatewayAsksAsAServiceNotAnonymously() throws Exception {
        given().get("/embed/" + WORKFLOW).then().statusCode(200);
        String authorization = REQUESTS.stream().filter(r -> r.path().equals("/internal/workflows/" + WORKFLOW))
                .reduce((first, last) -> last).orElseThrow().authorization();
        assertTrue(authorization != null && authorization.startsWith("Bearer "), String.valueOf(authorization));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(authorization.substring(7).split("\\.")[1]));
        assertEquals("api-gateway", claims.path("sub").asText());
        assertEquals(List.of("service"), JSON.convertValue(claims.path("groups"), List.class));
    }

    @Test
    void aProductPageCarriesItsPriceAndTheSchemaTheFormIsBuiltFrom() throws Exception {
        for (String reference : List.of(PRODUCT_SLUG, PRODUCT_ID)) {
            String html = page(given().get("/embed/product/" + reference).then().statusCode(200));
            assertTrue(html.contains("<h1 class=\"tg-title\">Text statistics</h1>"), html);
            assertTrue(html.contains("src=\"../../embed-assets/app.js\""), html);
            JsonNode product = config(html).path("product");
            assertEquals(PRODUCT_ID, product.path("product_id").asText());
            assertEquals(5, product.path("price_credits").asInt());
            assertEquals("analyze", product.at("/actions/0/name").asText());
            assertEquals("text", product.at("/actions/0/parameters_schema/required/0").asText());
            assertEquals("numbers", product.at("/actions/1/parameters_schema/properties/kind/enum/2").asText());
        }
    }

    @Test
    void aBundlePageOffersItsToolsAndTheWorkflowsThatStillExist() throws Exception {
        String html = page(given().get("/embed/bundle/" + BUNDLE).then().statusCode(200));
        assertTrue(html.contains("<h1 class=\"tg-title\">Everything for support</h1>"), html);
        JsonNode bundle = config(html).path("bundle");
        assertEquals(1, bundle.path("workflows").size(), bundle.toString());
        assertEquals("Support bot", bundle.at("/workflows/0/name").asText());
        assertEquals("Text statistics", bundle.at("/products/0/display_name").asText());
        assertEquals("text", bundle.at("/products/0/actions/0/parameters_schema/required/0").asText());
        assertTrue(REQUESTS.stream().anyMatch(r -> r.path().equals("/internal/workflows/" + DELETED_WORKFLOW)));
    }

    @Test
    void aNameCannotBreakOutOfTheConfigurationScriptOrTheMarkup() throws Exception {
        String html = page(given().get("/embed/" + HOSTILE_WORKFLOW).then().statusCode(200));
        // Exactly two script elements end: the configuration and the module. The name's "</script>" is not one.
        assertEquals(2, html.split("</script>", -1).length - 1, html);
        assertFalse(html.contains("<script>alert"), html);
        assertFalse(html.contains("<!--"), html);
        // The heading shows it as text...
        assertTrue(html.contains("&lt;/script&gt;&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;")
                || html.contains("&lt;/script&gt;&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;"), html);
        // ...and the configuration still says exactly what the service said.
        Matcher m = CONFIG.matcher(html);
        assertTrue(m.find(), html);
        assertFalse(m.group(1).contains("<") || m.group(1).contains(">") || m.group(1).contains("\u2028"), m.group(1));
        assertEquals(HOSTILE_NAME, JSON.readTree(m.group(1)).at("/workflow/name").asText());
    }

    @Test
    void anUnknownWorkflowBundleOrProductIsA404Page() {
        assertProblemPage(given().get("/embed/0123456789abcdef0123abcd").then(), 404, "This chat does not exist");
        assertProblemPage(given().get("/embed/bundle/0123456789abcdef0123abcd").then(), 404,
                "This collection does not exist");
        assertProblemPage(given().get("/embed/product/no-such-tool").then(), 404, "This tool is not available");
        // A retired product is not sold any more: the same 404.
        assertProblemPage(given().get("/embed/product/" + RETIRED_PRODUCT).then(), 404, "This tool is not available");
        // Any other path under /embed/ is a page too, not the framework's bare answer.
        assertProblemPage(given().get("/embed/" + WORKFLOW + "/extra/parts").then(), 404, "Page not found");
    }

    @Test
    void aMalformedIdIsA400PageAndNoServiceIsAsked() {
        int before = REQUESTS.size();
        assertProblemPage(given().get("/embed/not-an-object-id").then(), 400, "This link is not valid");
        assertProblemPage(given().get("/embed/bundle/12345").then(), 400, "This link is not valid");
        assertProblemPage(given().urlEncodingEnabled(false).get("/embed/product/text%20stats").then(), 400,
                "This link is not valid");
        assertProblemPage(given().get("/embed/product/" + "x".repeat(65)).then(), 400, "This link is not valid");
        assertProblemPage(given().urlEncodingEnabled(false).get("/embed/product/%3Cscript%3E").then(), 400,
                "This link is not valid");
        assertEquals(before, REQUESTS.size(), "malformed ids must not become look-ups");
    }

    @Test
    void aServiceThatFailsOrHangsIsA503PageSoonWithRetryAfter() {
        for (String id : List.of(FAILING_WORKFLOW, BARE_404_WORKFLOW)) {
            assertProblemPage(given().get("/embed/" + id).then(), 503, "Temporarily unavailable")
                    .header("Retry-After", "10");
        }
        Instant start = Instant.now();
        assertProblemPage(given().get("/embed/" + HANGING_WORKFLOW).then(), 503, "Temporarily unavailable");
        Duration took = Duration.between(start, Instant.now());
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "the read timeout should cut it short, took " + took);
    }

    @Test
    void errorPagesAreHtmlWhateverTheClientAsksFor() {
        assertProblemPage(given().accept("application/json").get("/embed/0123456789abcdef0123abcd").then(), 404,
                "This chat does not exist");
        assertProblemPage(given().accept("application/json").get("/embed/nope").then(), 400, "This link is not valid");
    }

    @Test
    void theLoaderIsJavaScriptAnyPageMayLoadAndCache() {
        String script = given().header("Origin", "https://shop.example").get("/embed.js").then().statusCode(200)
                .contentType(startsWith("text/javascript"))
                .header("Access-Control-Allow-Origin", "*")
                .header("Cache-Control", "public, max-age=300")
                .header("X-Content-Type-Options", "nosniff")
                .extract().asString();
        assertTrue(script.contains("data-workflow-id") && script.contains("data-bundle-id")
                && script.contains("data-product-id") && script.contains("'embed/'"), script);
    }

    @Test
    void thePagesAssetsAreServedSameOriginOnlyAndNeverSniffed() {
        for (String asset : List.of("app.js", "chat.js", "purchase.js", "schema-form.js", "bundle.js", "session.js",
                "api.js", "dom.js")) {
            given().header("Origin", "https://shop.example").get("/embed-assets/" + asset).then().statusCode(200)
                    .contentType(containsString("javascript"))
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Access-Control-Allow-Origin", nullValue());
        }
        given().get("/embed-assets/embed.css").then().statusCode(200).contentType(startsWith("text/css"))
                .header("X-Content-Type-Options", "nosniff");
        // Pages are not readable cross-origin either: only the loader is.
        given().header("Origin", "https://shop.example").get("/embed/" + WORKFLOW).then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    private static String page(ValidatableResponse response) {
        assertSecurityHeaders(response);
        return response.extract().asString();
    }

    private static ValidatableResponse assertProblemPage(ValidatableResponse response, int status, String title) {
        response.statusCode(status).contentType(startsWith("text/html"))
                .body(containsString("<h1 class=\"tg-problem-title\">" + title + "</h1>"))
                .body(not(containsString("Exception")))
                .body(not(containsString("\"detail\"")));
        assertSecurityHeaders(response);
        return response;
    }

    private static void assertSecurityHeaders(ValidatableResponse response) {
        Response r = response.extract().response();
        assertTrue(r.contentType().startsWith("text/html"), r.contentType());
        String csp = r.header("Content-Security-Policy");
        assertTrue(csp != null, "Content-Security-Policy is missing");
        for (String directive : List.of("default-src 'self'", "script-src 'self'", "style-src 'self'",
                "frame-ancestors *", "base-uri 'none'", "form-action 'self'", "object-src 'none'")) {
            assertTrue(csp.contains(directive), directive + " missing from " + csp);
        }
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
        assertEquals("nosniff", r.header("X-Content-Type-Options"));
        assertEquals("no-referrer", r.header("Referrer-Policy"));
        assertEquals(null, r.header("X-Frame-Options"), "the pages are meant to be framed");
        assertEquals(null, r.header("Access-Control-Allow-Origin"));
        assertTrue(new String(r.asByteArray(), StandardCharsets.UTF_8).startsWith("<!DOCTYPE html>"));
    }

    private static JsonNode config(String html) throws Exception {
        Matcher m = CONFIG.matcher(html);
        assertTrue(m.find(), "no embed-config element in " + html);
        return JSON.readTree(m.group(1));
    }
}
