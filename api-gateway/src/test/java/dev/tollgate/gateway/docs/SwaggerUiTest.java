package dev.tollgate.gateway.docs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The Swagger UI page is served by the gateway itself and needs nothing from outside: every script, style sheet and
 * image it references is served by the gateway, and it never asks validator.swagger.io about the document.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class SwaggerUiTest {

    static final String PAGE = "/q/swagger-ui/";

    /** {@code src=} and {@code href=} values, in the markup and in the markup the page's own script writes. */
    static final Pattern REFERENCE = Pattern.compile("\\b(?:src|href)\\s*=\\s*[\"']([^\"']*)[\"']");

    @Test
    void answersAnHtmlPageThatLoadsTheGatewaysDocument() {
        String html = page();
        assertTrue(html.contains("swagger-ui-bundle.js"), "the Swagger UI bundle");
        assertTrue(html.contains("<title>Tollgate API</title>"), "titled");
        assertTrue(html.contains("url: '/q/openapi'") || html.contains("url: \"/q/openapi\""),
                "shows the gateway's own document: " + configLine(html, "url"));
    }

    @Test
    void referencesOnlyAssetsTheGatewayServes() {
        String html = page();
        List<String> references = references(html);
        assertFalse(references.isEmpty());
        List<String> external = references.stream().filter(SwaggerUiTest::leavesTheGateway).toList();
        assertEquals(List.of(), external, "references to other hosts");
        for (String reference : references) {
            if (reference.startsWith("#") || reference.isBlank()) {
                continue;
            }
            String path = URI.create("http://gateway" + PAGE).resolve(reference).getPath();
            if (path.startsWith("/q/swagger-ui")) {
                given().get(path).then().statusCode(200);
            }
        }
        // The bundle's assets are there, whatever the page names.
        given().get(PAGE + "swagger-ui-bundle.js").then().statusCode(200);
        given().get(PAGE + "swagger-ui.css").then().statusCode(200);
    }

    @Test
    void neverAsksAnOnlineValidator() {
        String html = page();
        String validator = configLine(html, "validatorUrl");
        assertTrue(validator.contains("'none'") || validator.contains("\"none\""),
                "Swagger UI would fetch a badge from validator.swagger.io: " + validator);
        assertFalse(html.contains("validator.swagger.io"));
    }

    @Test
    void docsRedirectsToThePage() {
        given().redirects().follow(false).get("/docs").then().statusCode(302).header("Location", PAGE);
        given().get("/docs").then().statusCode(200).contentType(startsWith("text/html"));
    }

    private static String page() {
        return given().get(PAGE).then().statusCode(200).contentType(startsWith("text/html")).extract().asString();
    }

    static List<String> references(String html) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = REFERENCE.matcher(html);
        while (m.find()) {
            found.add(m.group(1));
        }
        return new ArrayList<>(found);
    }

    /** Absolute ({@code scheme:}) or protocol-relative ({@code //host}) references leave the gateway. */
    static boolean leavesTheGateway(String reference) {
        String r = reference.strip().toLowerCase();
        return r.startsWith("//") || r.matches("^[a-z][a-z0-9+.-]*:.*") && !r.startsWith("data:");
    }

    private static String configLine(String html, String option) {
        return html.lines().filter(l -> l.strip().startsWith(option + ":")).findFirst().orElse("(no " + option + ")");
    }
}
