package dev.tollgate.localstack.bench;

import java.util.List;
import java.util.Optional;

/** Everything one run of the platform harness measured, as the report shows it. */
record PlatformFigures(double upSeconds, List<Process> processes, List<TriggerRate> triggerRates,
        CallbackLatency callbacks, Purchases purchases, List<SideBySide.Sample> overheadSingle,
        List<SideBySide.Sample> overheadMany, List<Saturation> saturation) {

    /** One launcher process: Quarkus's start time, and resident memory after start and after the load. */
    record Process(String name, Optional<Double> startSeconds, Optional<ProcessFigures.Memory> idle,
            Optional<ProcessFigures.Memory> loaded) {
    }

    /** Trigger acknowledgement at one offered rate (open loop). */
    record TriggerRate(int offered, LatencySample acks) {
    }

    /**
     * To a run's final-status POST arriving at the receiver: from sending its trigger, and from the trigger's answer
     * (accepted), which is what design.md's latency budget counts.
     */
    record CallbackLatency(int rate, int triggered, int delivered, long repeats, LatencySample fromSent,
            LatencySample fromAccepted) {
    }

    /** Closed-loop purchases; {@code charged} is what the balance moved, {@code expected} price times successes. */
    record Purchases(int clients, LatencySample sample, long charged, long expected) {
    }

    /** A burst of runs, first trigger to last completion, with this many worker processes. */
    record Saturation(int workers, int triggered, int completed, double runsPerSecond) {
    }
}
