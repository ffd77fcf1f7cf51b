package dev.tollgate.workflow.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The outbox sweep off, so that only what a test calls reads the store while it measures (the worker's lease keeper
 * does not run in the api role either), and runs the test leaves with events waiting stay that way until it sweeps.
 */
public class WithoutOutboxSweep implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tollgate.workflow.outbox.sweep-interval", "1h");
    }
}
