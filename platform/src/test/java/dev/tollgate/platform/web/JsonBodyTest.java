package dev.tollgate.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

    private final JsonBody json = new JsonBody(new ObjectMapper());

    @Test
    void noBytesBlankAndJsonNullAreNoBody() {
        assertTrue(json.parseOptional(null).isEmpty());
        assertTrue(json.parseOptional("").isEmpty());
        assertTrue(json.parseOptional(" \n").isEmpty());
        assertTrue(json.parseOptional("null").isEmpty());
        assertTrue(json.parseOptional(" null ").isEmpty());
    }

    @Test
    void anythingElseIsParsedAndMalformedJsonIsAProblem() {
        assertEquals("{}", json.parseOptional("{}").orElseThrow().toString());
        assertEquals("\"x\"", json.parseOptional("\"x\"").orElseThrow().toString()); // the endpoint refuses it
        assertThrows(ValidationProblem.class, () -> json.parseOptional("nul"));
        assertThrows(ValidationProblem.class, () -> json.parseOptional("{"));
    }
}
