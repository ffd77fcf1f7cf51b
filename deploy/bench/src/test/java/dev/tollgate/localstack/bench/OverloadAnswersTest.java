package dev.tollgate.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The overload drill names each answer by the part of the platform that gave it, from the answer's message. */
class OverloadAnswersTest {

    private static String kind(int status, String message) {
        return new OverloadDrill.Answer(status, 1, status != 200, null, message, 0).kind();
    }

    @Test
    void eachRefusalIsNamedByWhoRefused() {
        assertEquals("accepted (200)", kind(200, ""));
        assertEquals("503 at the gateway (its in-flight bound for the service)",
                kind(503, "Too many requests are waiting for this service; retry in 1 s"));
        assertEquals("503 by the workflow api (run queue full)", kind(503,
                "Too many runs are waiting; nothing was queued. Retry after 1 s (the same request_id is safe to retry)"));
        assertEquals("503 by the workflow api (its own in-flight bound)", kind(503,
                "This service is working on as many requests as it may; nothing was done. Retry after 1 s"));
        assertEquals("503 by the workflow api (waited past its queue time)", kind(503,
                "This service could not start the request in time; nothing was done. Retry after 1 s"));
        assertEquals("503 by the workflow api (worker queue full)",
                kind(503, "This service has no worker free to take the request; nothing was done. Retry after 1 s"));
        assertEquals("429 over the budget's share (workflow api)", kind(429, "anything"));
    }

    @Test
    void anythingElseIsCountedApart() {
        assertEquals("no answer", kind(0, ""));
        assertEquals("other: 500", kind(500, "Unexpected error"));
        assertEquals("other: 503", kind(503, "Service Unavailable"));
    }
}
