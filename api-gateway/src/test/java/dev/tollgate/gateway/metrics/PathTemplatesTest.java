package dev.tollgate.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A path in the metrics is its operation's template, its route's prefix, or OTHER: never what the caller sent. */
class PathTemplatesTest {

    final PathTemplates templates = PathTemplates.fromServedDocument();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/api/agent-webhooks/runs/6b1343/cancel, /api/agent-webhooks/runs/{runId}/cancel",
            "/api/agent-webhooks/runs/6b1343, /api/agent-webhooks/runs/{runId}",
            "/api/agent-webhooks/wf-1/trigger, /api/agent-webhooks/{workflowId}/trigger",
            "/api/agent-webhooks/signing-secret, /api/agent-webhooks/signing-secret",
            "/admin/budgets/b1/api-keys/k1, /admin/budgets/{budgetId}/api-keys/{keyId}",
            "/admin/budgets/b1/credentials/github_token, /admin/budgets/{budgetId}/credentials/{credentialKey}",
            "/credits/balance, /credits/balance",
            // no operation: the route's prefix, whatever junk follows
            "/admin/budgets/b1/nothing/here, /admin/budgets/**",
            "/admin/budgets/junkabc/x/y, /admin/budgets/**",
            "/admin/budgets/junk0123456789abcdef0123456789abcdef/x/y, /admin/budgets/**",
            "/api/agent-webhooks/a/b/c/d, /api/agent-webhooks/**",
            "/q/anything, /q/**",
            "/junk-8f2a9c, OTHER",
            // what Quarkus REST or Quarkus itself already named stays
            "/embed/{workflowId}, /embed/{workflowId}",
            "NOT_FOUND, NOT_FOUND",
            // and what the edge named already is not named again
            "/admin/budgets/**, /admin/budgets/**",
            "OTHER, OTHER" })
    void namesAPathByItsTemplate(String uri, String expected) {
        assertEquals(expected, templates.nameOfTag(uri));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // a caller cannot mint a name: braces, a /** or OTHER in the path it sends are just a path
            "/credits/{x}, /credits/**",
            "/admin/budgets/**, /admin/budgets/{budgetId}",
            "/{anything}, OTHER",
            "/NOT_FOUND, OTHER",
            "/api/agent-webhooks/runs/r1, /api/agent-webhooks/runs/{runId}" })
    void aPathSentIsAlwaysMatchedNeverTaken(String path, String expected) {
        assertEquals(expected, templates.nameOfPath(path));
    }

    @org.junit.jupiter.api.Test
    void aVeryLongPathIsOtherAtOnce() {
        assertEquals("OTHER", templates.nameOfPath("/admin/budgets/" + "x".repeat(60_000)));
    }
}
