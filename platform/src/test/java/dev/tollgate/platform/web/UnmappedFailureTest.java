package dev.tollgate.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.RejectedExecutionException;

import org.junit.jupiter.api.Test;

class UnmappedFailureTest {

    @Test
    void aFrameworkRefusalKeepsItsStatusWithAStableCode() {
        assertEquals(new UnmappedFailure(404, "not_found", "Not Found"), UnmappedFailure.refusal(404));
        assertEquals(new UnmappedFailure(405, "method_not_allowed", "Method Not Allowed"), UnmappedFailure.refusal(405));
        assertEquals("unsupported_media_type", UnmappedFailure.refusal(415).code());
        assertEquals(new UnmappedFailure(418, "http_418", "The request was refused"), UnmappedFailure.refusal(418));
    }

    @Test
    void aBugIsA500WithAReferenceAndNothingOfItsInternals() {
        UnmappedFailure bug = UnmappedFailure.bug(new IllegalArgumentException("Label too long: secret internals"),
                "POST", "/x", "r2");
        assertEquals(500, bug.status());
        assertEquals("internal_error", bug.code());
        assertFalse(bug.message().contains("secret"), bug.message());
        assertTrue(bug.message().matches(".*reference [0-9a-f-]{36}$"), bug.message());
    }

    @Test
    void aFullWorkerQueueIsARefusalToRetryNotABug() {
        UnmappedFailure busy = UnmappedFailure.of(new RejectedExecutionException("queue full"), "POST", "/x", "r3");
        assertEquals(503, busy.status());
        assertEquals("overloaded", busy.code());
        assertFalse(busy.message().contains("queue full"), busy.message());
        assertEquals("1", busy.render(new RejectedExecutionException(), "{}").getHeaderString("Retry-After"));
    }

    @Test
    void whatACallerSentIsLoggedOnOneBoundedLine() {
        assertEquals("a?b?c", UnmappedFailure.loggable("a\nb\u0000c"));
        assertEquals(203, UnmappedFailure.loggable("x".repeat(5000)).length());
    }
}
