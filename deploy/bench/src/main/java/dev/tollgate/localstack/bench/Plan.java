package dev.tollgate.localstack.bench;

import java.time.Duration;
import java.util.List;

/**
 * How much load each phase offers, and how much history is seeded between the two passes. The warm-up matters: seven
 * JVMs that just started share two cores with their JIT compilers, and triggers measured in the first minute after a
 * start were ten times slower than a minute later; each pass starts from a fresh {@code deploy/local/up}, so each
 * has its own: a steady trigger load ({@code warmupRate} for {@code warmupLoad}: four minutes at 100/s in {@link #FULL},
 * as long as the JIT compilers take to settle at that rate) before the phases, and purchases warmed up right before
 * they are measured. {@link #FULL} is what {@code docs/benchmarks.md} reports (the issue's history: 1,000,000 runs,
 * 100,000 orders and ledger transactions); {@link #QUICK} runs every phase briefly on a small history, for the
 * end-to-end test that keeps the harness working. {@code waitRuns} runs are followed with the status long-poll by
 * {@code waitClients} clients, each triggering its next run when the last one ended. Fairness: tenant B triggers at
 * {@code tenantBRate}/s alone for {@code tenantBAlone}, then for as long as tenant A floods {@code floodRuns} runs from
 * {@code floodClients} clients.
 */
record Plan(String name, int warmupRate, Duration warmupLoad, int warmupRuns, Duration warmupPurchases,
        List<Integer> triggerRates, Duration perRate, int callbackRate, Duration callbackPhase, int purchaseClients,
        Duration purchasePhase, int overheadRounds, int overheadRequests, int overheadClients, int batchRuns,
        int batchClients, Duration idleSettle, Duration idleWindow, double historyScale, Duration timeLimit,
        int waitRuns, int waitClients, int floodRuns, int floodClients, int tenantBRate, Duration tenantBAlone) {

    static final Plan FULL = new Plan("full", 100, Duration.ofMinutes(4), 600, Duration.ofSeconds(90),
            List.of(25, 50, 100), Duration.ofSeconds(8), 10, Duration.ofSeconds(30), 16, Duration.ofSeconds(8), 3,
            1000, 8, 400, 8, Duration.ofSeconds(30), Duration.ofSeconds(60), 1.0, Duration.ofMinutes(240), 300, 10,
            2000, 16, 10, Duration.ofSeconds(20));

    static final Plan QUICK = new Plan("quick", 5, Duration.ofSeconds(2), 10, Duration.ofSeconds(1), List.of(5, 10),
            Duration.ofSeconds(1), 5, Duration.ofSeconds(2), 4, Duration.ofSeconds(1), 1, 100, 4, 20, 4,
            Duration.ofSeconds(2), Duration.ofSeconds(5), 0.002, Duration.ofMinutes(14), 10, 2, 100, 4,
            10, Duration.ofSeconds(3));

    Plan withHistoryScale(double scale) {
        return new Plan(name, warmupRate, warmupLoad, warmupRuns, warmupPurchases, triggerRates, perRate,
                callbackRate, callbackPhase, purchaseClients, purchasePhase, overheadRounds, overheadRequests,
                overheadClients, batchRuns, batchClients, idleSettle, idleWindow, scale, timeLimit, waitRuns, waitClients, floodRuns, floodClients, tenantBRate,
                tenantBAlone);
    }

    HistorySeeder.Counts history() {
        return HistorySeeder.Counts.ISSUE.scaled(historyScale);
    }
}
