package dev.tollgate.localstack.bench;

import java.util.Map;
import java.util.Optional;

/**
 * What {@code bench/run runpath} measured: the same phases on Tollgate and on its BullMQ peer; {@code history} is
 * what was seeded into Tollgate's store before its phases (empty when the plan seeds none).
 */
record RunPathFigures(Side tollgate, Side peer, Optional<PlatformFigures.Seeding> history) {

    /**
     * One system under the phases: CPU per run at the CPU phase's rate, latency at the latency phase's rate,
     * saturation with one worker and with two, purchases (Tollgate only; the peer has no catalog or credits), and
     * each process's memory after the load.
     */
    record Side(String name, Cpu cpu, PlatformFigures.CallbackLatency latency, Saturation oneWorker,
            Saturation twoWorkers, Optional<PlatformFigures.Purchases> purchases,
            Map<String, Optional<ProcessFigures.Memory>> memory) {

        /**
         * The largest resident set among the services after the load, MiB. The bound is per service: the
         * local stack (Kafka and the store, stand-ins for infrastructure run apart in production) and Redis are not.
         */
        double largestRssMiB() {
            return memory.entrySet().stream().filter(e -> isService(e.getKey())).map(Map.Entry::getValue)
                    .flatMap(Optional::stream).mapToDouble(ProcessFigures.Memory::rssMiB).max().orElse(0);
        }

        static boolean isService(String process) {
            return !process.equals("local-stack") && !process.equals("redis");
        }

        double totalRssMiB() {
            return memory.values().stream().flatMap(Optional::stream).mapToDouble(ProcessFigures.Memory::rssMiB)
                    .sum();
        }
    }

    /**
     * Triggers at {@code rate} for the phase; every process's CPU time ({@code /proc/<pid>/stat}) from the first
     * trigger to the last callback, per triggered run.
     */
    /** {@code jitMsPerRun}: the part of {@code msPerRun} that JIT compiler threads used (a JVM warming up). */
    record Cpu(int rate, int runs, int callbacks, long failedTriggers, Map<String, Double> msPerRun,
            Map<String, Double> jitMsPerRun) {

        double totalMsPerRun() {
            return msPerRun.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double totalJitMsPerRun() {
            return jitMsPerRun.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /**
     * An open loop offered above capacity: {@code offered} triggers scheduled, {@code accepted} answered 200,
     * {@code skipped} not sent because the in-flight cap was full, {@code failed} answered otherwise (or not at all).
     * {@code inWindow} callbacks arrived in the measuring window ({@code windowSeconds}, after the ramp, to the end
     * of the offering), which gives {@code runsPerSecond}; {@code backlog} runs were accepted and not yet called back
     * when the offering ended (a saturated system has a queue); {@code called} callbacks arrived in all, the last
     * {@code drainSeconds} after the offering ended.
     */
    record Saturation(int workers, int offeredRate, long offered, int accepted, long skipped, long refused,
            long failed, double answerP99Millis, double windowSeconds, int inWindow, double runsPerSecond, int backlog,
            int called, double drainSeconds) {

        /**
         * More than a second's worth of runs was queued at the end, the system refused triggers for overload, or the
         * generator could not send: capacity.
         */
        boolean saturated() {
            return skipped > 0 || refused > 0 || backlog > Math.max(1, runsPerSecond);
        }
    }
}
