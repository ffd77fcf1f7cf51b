package dev.tollgate.localstack.bench;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything one run of the platform harness measured, as the report shows it: the same phases on the empty store
 * and on the same platform with the seeded history, the seeding itself, and the gateway's overhead (empty store).
 */
record PlatformFigures(Pass empty, Seeding seeding, Pass history, List<SideBySide.Sample> overheadSingle,
        List<SideBySide.Sample> overheadMany) {

    /** One pass of the phases, from a fresh {@code deploy/local/up} on its data folder. */
    record Pass(double upSeconds, List<Process> processes, List<TriggerRate> triggerRates, CallbackLatency callbacks,
            StatusWaits waits, Fairness fairness, Purchases purchases, List<Saturation> saturation, IdleCpu idle) {
    }

    /**
     * Tenant B at {@code rate} triggers/s alone, then while tenant A floods {@code floodRuns} runs: B's trigger to
     * callback (from the accepted trigger) in both, how many of B's triggers were sent and refused during the flood,
     * and A's runs per second flooding alone and beside B.
     */
    record Fairness(int floodRuns, int rate, LatencySample bAlone, LatencySample bDuringFlood, int bTriggeredDuringFlood,
            int bRefusedDuringFlood, double aAloneRunsPerSecond, double aBesideBRunsPerSecond, int aBesideBCompleted) {
    }

    /**
     * Runs followed with the status long-poll ({@code ?wait_seconds=30}) from their trigger to their end:
     * {@code afterEnd} is from the run's {@code completed_at} to the waiting read's answer arriving (wall clock, in
     * milliseconds); {@code reads} the status reads it took per run.
     */
    record StatusWaits(int runs, int ended, double readsPerRun, LatencySample afterEnd) {
    }

    /**
     * One launcher process: Quarkus's start time, resident memory after start and after the load, its CPU per run
     * in the one-worker saturation phase, and its CPU with no traffic.
     */
    record Process(String name, Optional<Double> startSeconds, Optional<ProcessFigures.Memory> idle,
            Optional<ProcessFigures.Memory> loaded, Optional<Double> cpuMsPerRun, Optional<Double> idleCpuPercent) {
    }

    /** Trigger acknowledgement at one offered rate (open loop). */
    record TriggerRate(int offered, LatencySample acks) {
    }

    /**
     * To a run's final-status POST arriving at the receiver: from sending its trigger, and from the trigger's answer
     * (accepted), which is what design.md's latency budget counts; {@code acks} is the triggers' own answer times;
     * {@code runIds} the runs triggered (for their stages, {@link CallbackArrivals#stages}).
     */
    record CallbackLatency(int rate, int triggered, int delivered, long repeats, LatencySample fromSent,
            LatencySample fromAccepted, LatencySample acks, Set<String> runIds) {
    }

    /** Closed-loop purchases; {@code charged} is what the balance moved, {@code expected} price times successes. */
    record Purchases(int clients, LatencySample sample, long charged, long expected) {
    }

    /**
     * A burst of runs, first trigger to last completion, with this many worker processes; {@code cpuMsPerRun} is the
     * whole platform's CPU (every process) from the first trigger to the last callback, per completed run.
     */
    record Saturation(int workers, int triggered, int completed, int callbacks, double runsPerSecond,
            double cpuMsPerRun) {
    }

    /**
     * The whole platform with no traffic: CPU over {@code seconds}, summed over its processes, in % of one core, and
     * the documents the store examined per second in each service's database meanwhile (its sweeps' reads; empty
     * when the store has no counter); of the CPU, the share of the JVMs' JIT compiler threads (still compiling what
     * the load before made hot, or idle loops reaching their thresholds: a settling JVM's cost, not the idle platform's).
     */
    record IdleCpu(double seconds, double percentOfOneCore, double jitPercentOfOneCore,
            java.util.Map<String, Double> docsExaminedPerSecond) {
    }

    /** The history written between the passes, and the store's folder before and after. */
    record Seeding(HistorySeeder.Seeded seeded, double storeMiBBefore, double storeMiBAfter,
            HistorySeeder.Compacted compacted, double storeMiBCompacted) {
    }
}
