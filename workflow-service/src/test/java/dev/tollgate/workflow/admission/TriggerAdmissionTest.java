package dev.tollgate.workflow.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class TriggerAdmissionTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private final TriggerAdmission admission = new TriggerAdmission(100, Duration.ofSeconds(3),
            Duration.ofMillis(1500));

    private static TriggerAdmission.Measurement waiting(long n, Duration ago) {
        return new TriggerAdmission.Measurement(n, NOW.minus(ago));
    }

    @Test
    void belowTheBoundATriggerIsTaken() {
        assertTrue(admission.decide(waiting(99, Duration.ZERO), NOW).admitted());
    }

    @Test
    void atTheBoundATriggerIsRefusedWithWholeSecondsToWait() {
        TriggerAdmission.Decision d = admission.decide(waiting(100, Duration.ofSeconds(1)), NOW);
        assertFalse(d.admitted());
        assertEquals(2, d.retryAfterSeconds(), "1.5 s rounds up: Retry-After is whole seconds");
    }

    @Test
    void aStaleOrMissingMeasurementAdmitsSoAnUnreachableKafkaRefusesNobody() {
        assertTrue(admission.decide(waiting(10_000, Duration.ofMillis(3001)), NOW).admitted());
        assertTrue(admission.decide(null, NOW).admitted());
    }

    @Test
    void aBoundOfZeroNeverRefuses() {
        TriggerAdmission off = new TriggerAdmission(0, Duration.ofSeconds(3), Duration.ofSeconds(1));
        assertTrue(off.decide(waiting(1_000_000, Duration.ZERO), NOW).admitted());
    }

    @Test
    void aRefusalAsksForAtLeastOneSecond() {
        TriggerAdmission quick = new TriggerAdmission(1, Duration.ofSeconds(3), Duration.ofMillis(10));
        assertEquals(1, quick.decide(waiting(5, Duration.ZERO), NOW).retryAfterSeconds());
    }
}
