package dev.tollgate.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class UpstreamTimeoutsTest {

    private final UpstreamTimeouts timeouts = new UpstreamTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(120));

    @Test
    void requestsMeantToWaitGetTheLongTimeout() {
        assertEquals(Duration.ofSeconds(120), timeouts.of("POST", "/products/purchase"));
        assertEquals(Duration.ofSeconds(120), timeouts.of("GET", "/api/agent-webhooks/runs/65f0c0ffee0123456789abcd"));
        assertEquals(Duration.ofSeconds(120),
                timeouts.of("GET", "/api/agent-webhooks/runs/65f0c0ffee0123456789abcd/events"));
    }

    @Test
    void everythingElseGetsTheShortOne() {
        assertEquals(Duration.ofSeconds(30), timeouts.of("POST", "/api/agent-webhooks/65f0c0ffee0123456789abcd/trigger"));
        assertEquals(Duration.ofSeconds(30),
                timeouts.of("POST", "/api/agent-webhooks/runs/65f0c0ffee0123456789abcd/cancel"));
        assertEquals(Duration.ofSeconds(30), timeouts.of("GET", "/credits/balance"));
        assertEquals(Duration.ofSeconds(30), timeouts.of("GET", "/products/purchase"));
        assertEquals(Duration.ofSeconds(30), timeouts.of("POST", "/admin/products"));
        assertEquals(Duration.ofSeconds(30), timeouts.of("DELETE", "/api/agent-webhooks/runs/65f0c0ffee0123456789abcd"));
    }
}
