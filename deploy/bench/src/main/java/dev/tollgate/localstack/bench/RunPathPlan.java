package dev.tollgate.localstack.bench;

import java.time.Duration;

/**
 * The load of {@code bench/run runpath}, the same for Tollgate and its peer. {@link #FULL} is what issue 15's
 * figures are measured with: CPU per run at 100 triggers/s, latency at 200/s for 60 s, saturation offered at 600/s
 * for 20 s, purchases from 16 clients for 20 s. {@link #QUICK} runs every phase for a few seconds at a few runs per
 * second, to check the harness end to end (the CI smoke test); its figures mean nothing.
 *
 * <p>Tollgate is measured on a store that already holds a history ({@code historyScale} times the issue's 1,000,000
 * runs of other users, with their deliveries, orders and ledger; the quick plan a few thousand documents), as a
 * platform in use would: a figure that only holds on an empty store is not a figure.
 *
 * <p>The saturation phase is an open loop above capacity with at most {@code saturationInFlight} triggers waiting
 * for their answer (past that, the generator skips a beat and counts it), so a platform that answers slowly is
 * never buried under thousands of open connections; runs per second count the callbacks that arrived in the
 * phase's window after {@code saturationRamp} (the queue filling up).
 */
record RunPathPlan(String name, int warmupRate, Duration warmup, Duration warmupPurchases, int cpuRate,
        Duration cpuPhase, int latencyRate, Duration latencyPhase, int saturationRate, Duration saturationPhase,
        Duration saturationRamp, int saturationInFlight, int purchaseClients, Duration purchasePhase,
        Duration patience, Duration timeLimit, double historyScale) {

    // The warm-up is 4 minutes: at 100 runs/s the workflow api's C2 compiler keeps compiling (300-700 methods each
    // 30 s, half of the process's CPU) until about 3.5 minutes in, and the other services until 2-3 minutes in
    // (-Xlog:jit+compilation, JFR's thread CPU, 2026-12-01). That is a start's cost, not a run's; measured inside
    // a shorter warm-up it was a third of the CPU per run. Purchases warm up for 90 s of their own: they run through
    // credits-service, which runs do not touch, and after 5 s of warm-up they measured 120/s where the same platform
    // does 270/s once warm (bench/run profile --purchases 16 --warm-up 150, 2026-12-01).
    static final RunPathPlan FULL = new RunPathPlan("full", 100, Duration.ofSeconds(240), Duration.ofSeconds(90), 100,
            Duration.ofSeconds(30), 200, Duration.ofSeconds(60), 600, Duration.ofSeconds(20), Duration.ofSeconds(5),
            256, 16, Duration.ofSeconds(20), Duration.ofMinutes(5), Duration.ofMinutes(100), 1.0);

    static final RunPathPlan QUICK = new RunPathPlan("quick", 10, Duration.ofSeconds(2), Duration.ofSeconds(1), 10,
            Duration.ofSeconds(3), 20, Duration.ofSeconds(3), 20, Duration.ofSeconds(3), Duration.ofMillis(500), 16,
            2, Duration.ofSeconds(2), Duration.ofMinutes(2), Duration.ofMinutes(9), 0.002);

    /** The three rates: CPU phase, latency phase, saturation phase (triggers per second). */
    RunPathPlan withRates(int cpu, int latency, int saturation) {
        return new RunPathPlan(name, warmupRate, warmup, warmupPurchases, cpu, cpuPhase, latency, latencyPhase,
                saturation, saturationPhase, saturationRamp, saturationInFlight, purchaseClients, purchasePhase,
                patience, timeLimit, historyScale);
    }

    /** {@code scale} times the issue's history (1,000,000 runs) seeded before Tollgate's phases; 0 seeds none. */
    RunPathPlan withHistoryScale(double scale) {
        return new RunPathPlan(name, warmupRate, warmup, warmupPurchases, cpuRate, cpuPhase, latencyRate, latencyPhase,
                saturationRate, saturationPhase, saturationRamp, saturationInFlight, purchaseClients, purchasePhase,
                patience, timeLimit, scale);
    }

    /** The history seeded into Tollgate's store before its phases (none when the scale is 0). */
    HistorySeeder.Counts history() {
        return HistorySeeder.Counts.ISSUE.scaled(historyScale);
    }

    /** Every measured phase ({@code cpu}, latency, each saturation pass, purchases) this long. */
    RunPathPlan withPhases(Duration phase) {
        Duration ramp = saturationRamp.compareTo(phase.dividedBy(2)) < 0 ? saturationRamp : phase.dividedBy(4);
        return new RunPathPlan(name, warmupRate, warmup, warmupPurchases, cpuRate, phase, latencyRate, phase,
                saturationRate, phase, ramp, saturationInFlight, purchaseClients, phase, patience, timeLimit,
                historyScale);
    }
}
