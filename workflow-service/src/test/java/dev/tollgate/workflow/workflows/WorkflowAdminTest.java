package dev.tollgate.workflow.workflows;

import static dev.tollgate.workflow.support.Fixtures.ADMIN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import dev.tollgate.workflow.support.CatalogServiceResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CatalogServiceResource.class)
class WorkflowAdminTest {

    @Test
    void aValidDefinitionIsStoredWithEveryStepKind() {
        String product = given().baseUri(CatalogServiceResource.catalog().baseUrl()).auth().oauth2(ADMIN)
                .contentType("application/json").body(Map.of("slug", "wf-wait-" + System.nanoTime(),
                        "name", "wf_wait_" + System.nanoTime(), "display_name", "Wait", "description", "waits",
                        "price_credits", 1, "invocation", Map.of("type", "builtin", "tool", "wait")))
                .post("/admin/products").then().statusCode(201).extract().path("data.product.product_id");
        given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("name", "research",
                "max_run_seconds", 120,
                "steps", List.of(
                        Map.of("id", "pause", "type", "tool", "product_id", product, "action", "wait",
                                "parameters", Map.of("seconds", 0)),
                        Map.of("id", "ask", "type", "model", "base_url", "http://127.0.0.1:9/v1", "model", "tiny",
                                "api_key_credential", "openai_key", "template", "Answer: {prompt}"),
                        Map.of("id", "final", "type", "template", "template", "{steps.ask}"))))
                .post("/admin/workflows").then().statusCode(201)
                .body("data.workflow.steps.type", equalTo(List.of("tool", "model", "template")))
                .body("data.workflow.required_credentials", equalTo(List.of("openai_key")))
                .body("data.workflow.max_run_seconds", equalTo(120));
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://169.254.169.254/", "https://169.254.169.254/v1", "https://10.0.0.1/v1",
            "https://[fd00::1]/v1", "https://localhost/v1", "https://127.0.0.2/v1", "http://api.example.com/v1",
            "https://0177.0.0.1/v1", "not a url" })
    void aModelBaseUrlOutsideTheEgressRulesIsRefused(String baseUrl) {
        // issue 17 item 9: these were saved, and every run of the workflow sent its prompt there
        given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("name", "leaky",
                "steps", List.of(Map.of("id", "ask", "type", "model", "base_url", baseUrl, "model", "tiny"))))
                .post("/admin/workflows").then().statusCode(400)
                .body("error", equalTo("invalid_workflow"))
                .body("message", containsString("steps[0].base_url"));
    }

    static List<Object[]> coercedDefinitions() {
        Map<String, Object> echo = Map.of("id", "answer", "type", "template", "template", "{prompt}");
        java.util.function.Function<Object, Map<String, Object>> maxRun = v -> {
            Map<String, Object> def = new java.util.HashMap<>(Map.of("name", "m", "steps", List.of(echo)));
            def.put("max_run_seconds", v);
            return def;
        };
        java.util.function.Function<String, Map<String, Object>> twoSteps = t -> Map.of("name", "t", "steps",
                List.of(Map.of("id", "ask", "type", "template", "template", "{prompt}"),
                        Map.of("id", "final", "type", "template", "template", t)));
        return List.of(
                // issue 17 item 10: each of these was stored with max_run_seconds 300 (or 1 for 1.5)
                new Object[] { maxRun.apply("str"), "max_run_seconds" },
                new Object[] { maxRun.apply(List.of()), "max_run_seconds" },
                new Object[] { maxRun.apply(null), "max_run_seconds" },
                new Object[] { maxRun.apply("9".repeat(100_000)), "max_run_seconds" },
                new Object[] { maxRun.apply(1.5), "max_run_seconds" },
                new Object[] { maxRun.apply(true), "max_run_seconds" },
                new Object[] { Map.of("name", "c", "required_credentials", "github_token", "steps", List.of(echo)),
                        "required_credentials" },
                new Object[] { Map.of("name", "c", "required_credentials", List.of(5), "steps", List.of(echo)),
                        "required_credentials" },
                new Object[] { Map.of("name", "s", "steps", List.of("answer")), "steps[0]" },
                new Object[] { Map.of("name", "s", "steps", List.of(Map.of("id", 12, "type", "template",
                        "template", "x"))), "steps[0].id" },
                new Object[] { Map.of("name", "s", "steps", List.of(Map.of("id", "a", "type", "model",
                        "base_url", "https://api.example.com/v1", "model", 4))), "steps[0].model" },
                // templates that parsed, were stored, and failed every run when rendered
                new Object[] { twoSteps.apply("{prompt.toUpperCase()}"), "calls a method" },
                new Object[] { twoSteps.apply("{prompt.getClass().getName()}"), "calls a method" },
                new Object[] { twoSteps.apply("{prompt.length}"), "is not {prompt}" },
                new Object[] { twoSteps.apply("{user}"), "is not {prompt}" },
                new Object[] { twoSteps.apply("{steps.final}"), "names no earlier step" },
                new Object[] { twoSteps.apply("{steps.nope}"), "names no earlier step" },
                new Object[] { twoSteps.apply("{#for s in steps}{s}{/for}"), "{#for}" },
                new Object[] { twoSteps.apply("{#include other /}"), "{#include}" },
                new Object[] { twoSteps.apply("{inject:someBean}"), "namespace" },
                new Object[] { Map.of("name", "r", "steps", List.of(Map.of("id", "size", "type", "template",
                        "template", "x"))), "reserved" },
                new Object[] { twoSteps.apply("{config:['quarkus.mongodb.connection-string']}"), "namespace" });
    }

    @ParameterizedTest
    @MethodSource("coercedDefinitions")
    void aDefinitionOfTheWrongShapeIsRefusedNotCoerced(Map<String, Object> definition, String mentions) {
        given().auth().oauth2(ADMIN).contentType("application/json").body(definition)
                .post("/admin/workflows").then().statusCode(400)
                .body("error", equalTo("invalid_workflow"))
                .body("message", containsString(mentions));
    }

    @Test
    void templatesMayUsePromptEarlierStepsAndConditions() {
        given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("name", "ok", "steps", List.of(
                Map.of("id", "ask", "type", "template", "template", "Q: {prompt}"),
                Map.of("id", "final", "type", "template",
                        "template", "{#if steps.ask}{steps.ask}{#else}nothing{/if} / {#if !prompt}none{/if} {prompt}"
                                + " {'literal'} {#when prompt}{#is 'x'}ex{/when}"))))
                .post("/admin/workflows").then().statusCode(201);
    }

    @Test
    void anUnknownProductOrABadTemplateIsAClear400() {
        given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("name", "broken",
                "steps", List.of(
                        Map.of("type", "tool", "product_id", "no-such-product", "action", "x"),
                        Map.of("type", "template", "template", "{#if prompt}never closed"),
                        Map.of("type", "teleport"))))
                .post("/admin/workflows").then().statusCode(400)
                .body("success", equalTo(false))
                .body("error", equalTo("invalid_workflow"))
                .body("message", containsString("steps[0].product_id: unknown product"))
                .body("message", containsString("steps[1].template: the template does not parse"))
                .body("message", containsString("steps[2].type"));
        given().auth().oauth2(ADMIN).contentType("application/json").body("{not json")
                .post("/admin/workflows").then().statusCode(400).body("error", equalTo("invalid_payload"));
    }

    @Test
    void onlyAdminsDefineWorkflows() {
        given().auth().oauth2(TestTokens.user("u")).contentType("application/json").body(Map.of("name", "x"))
                .post("/admin/workflows").then().statusCode(403);
    }
}
