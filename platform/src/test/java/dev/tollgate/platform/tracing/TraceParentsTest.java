package dev.tollgate.platform.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

class TraceParentsTest {

    private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aStoredTraceparentIsTheParentOfWhatIsStartedUnderIt() {
        SpanContext parent = Span.fromContext(TraceParents.parent(PARENT)).getSpanContext();
        assertTrue(parent.isValid());
        assertTrue(parent.isRemote());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", parent.getTraceId());
        assertEquals("00f067aa0ba902b7", parent.getSpanId());
        assertEquals(PARENT, TraceParents.of(parent).orElseThrow());
    }

    @Test
    void whatIsReadFromOutsideIsChecked() {
        for (String bad : new String[] {null, "", "garbage", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "00-4bf92f35-00f067aa0ba902b7-01",
                PARENT + "\r\nx-injected: 1"}) {
            assertFalse(TraceParents.isValid(bad), String.valueOf(bad));
            assertEquals(Context.root(), TraceParents.parent(bad));
            assertTrue(TraceParents.traceId(bad).isEmpty());
        }
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", TraceParents.traceId(PARENT).orElseThrow());
    }

    @Test
    void outsideAnySpanThereIsNoCurrentTraceparent() {
        assertTrue(TraceParents.current().isEmpty());
        assertEquals("stored", TraceParents.currentOr("stored"));
    }
}
