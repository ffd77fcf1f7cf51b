package dev.tollgate.callback.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Reading a lifecycle event's type without parsing its run, and what makes an event a callback. */
class TerminalRunTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theTypeIsReadWhereverItStandsAndNestedTypesAreNotMistakenForIt() throws Exception {
        assertEquals("run.completed", TerminalRun.typeOf("""
                {"specversion":"1.0","id":"x","type":"run.completed","data":{"run":{"type":"run.started"}}}""", json));
        assertEquals("run.started", TerminalRun.typeOf("""
                {"data":{"type":"run.completed","run":{"steps":[{"type":"tool"}]}},"type":"run.started"}""", json));
        assertEquals("", TerminalRun.typeOf("""
                {"data":{"type":"run.completed"}}""", json), "only the top level counts");
        assertEquals("", TerminalRun.typeOf("""
                {"type":{"name":"run.completed"}}""", json), "a type that is not a string is no type");
        assertEquals("", TerminalRun.typeOf("[\"run.completed\"]", json));
    }

    @Test
    void onlyATerminalEventWithACallbackUrlBecomesACallback() throws Exception {
        String completed = """
                {"id":"r1:run.completed:1","type":"run.completed","data":{"owner_user_id":"u1",
                 "run":{"run_id":"r1","status":"completed","callback_url":"https://example.com/hook"}}}""";
        TerminalRun run = TerminalRun.from(completed, json).orElseThrow();
        assertEquals("https://example.com/hook", run.callbackUrl());
        assertEquals("completed", json.readTree(run.body()).at("/data/run/status").asText());
        assertTrue(json.readTree(run.body()).path("success").asBoolean());

        assertFalse(TerminalRun.from(completed.replace("run.completed\",\"data", "run.started\",\"data"),
                json).isPresent(), "not terminal");
        assertFalse(TerminalRun.from(completed.replace(",\"callback_url\":\"https://example.com/hook\"",
                ""), json).isPresent(), "no callback_url");
    }
}
