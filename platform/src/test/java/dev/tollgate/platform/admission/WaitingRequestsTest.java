package dev.tollgate.platform.admission;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WaitingRequestsTest {

    @Test
    void aStatusReadWithAWaitAndARunsEventStreamWait() {
        assertTrue(WaitingRequests.isWaiting("/api/agent-webhooks/runs/665f1c0a9b1e8a3d2c4b5a69", "25"));
        assertTrue(WaitingRequests.isWaiting("/api/agent-webhooks/runs/665f1c0a9b1e8a3d2c4b5a69/events", null));
    }

    @Test
    void everythingElseIsWork() {
        assertFalse(WaitingRequests.isWaiting("/api/agent-webhooks/runs/665f1c0a9b1e8a3d2c4b5a69", null));
        assertFalse(WaitingRequests.isWaiting("/api/agent-webhooks/runs/665f1c0a9b1e8a3d2c4b5a69", "0"));
        assertFalse(WaitingRequests.isWaiting("/api/agent-webhooks/runs/665f1c0a9b1e8a3d2c4b5a69", " "));
        assertFalse(WaitingRequests.isWaiting("/api/agent-webhooks/runs/665f1c0a9b1e8a3d2c4b5a69/cancel", "25"));
        assertFalse(WaitingRequests.isWaiting("/api/agent-webhooks/wf1/trigger", "25"));
        assertFalse(WaitingRequests.isWaiting("/credits/balance", "25"));
    }
}
