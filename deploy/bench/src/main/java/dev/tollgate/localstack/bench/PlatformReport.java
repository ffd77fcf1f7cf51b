package dev.tollgate.localstack.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The {@code platform} section of {@code docs/benchmarks.md}, from one run's figures: both passes side by side. */
final class PlatformReport {

    static final String EMPTY = "empty";
    static final String HISTORY = "with history";

    private PlatformReport() {
    }

    /** What each pass does before it measures, in the report's words. */
    static String warmUp(Plan plan) {
        return String.format(Locale.ROOT, "triggers rising to %d/s and at that rate for the rest of %d s, with their "
                + "callbacks (the JIT compilers settle after minutes of steady load), then %d runs back to back and "
                + "balance reads; purchases warm up for %d s right before they are measured", plan.warmupRate(), plan.warmupLoad().toSeconds(),
                plan.warmupRuns(), plan.warmupPurchases().toSeconds());
    }

    /** What the seeding wrote and what compacting made of the store's folder: one paragraph, no trailing newline. */
    static String history(PlatformFigures.Seeding seeding) {
        return String.format(Locale.ROOT, "`HistorySeeder` (`bench/run seed-history`) wrote %s. "
                + "Terminal runs (90 %% completed, 7 %% failed, 3 %% cancelled) with a request id, request metadata "
                + "and a delivered callback, over the past 30 days; each run's delivery in callback-service with "
                + "its attempts (one in twenty needed a second); orders in catalog-service and the ledger they "
                + "produced in credits-service (grants, purchases, settled holds, accounts). None of it belongs "
                + "to the demo tenant. The store's folder grew from %.0f MiB to %.0f MiB; then the store compacted "
                + "its file (`tollgateCompact`, as after any bulk load: the seeding writes in minutes the superseded "
                + "pages that a month of traffic spreads out and the store's background rewriting keeps up with) in "
                + "%.1f s, to %.0f MiB.",
                seeding.seeded().summary(), seeding.storeMiBBefore(), seeding.storeMiBAfter(),
                seeding.compacted().seconds(), seeding.storeMiBCompacted());
    }

    static String section(PlatformFigures f, Plan plan, String command, String machine) {
        HistorySeeder.Seeded seeded = f.seeding().seeded();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "## The whole platform, one run: an empty store, then %,d runs of "
                + "history%n%n", seeded.counts().runs()));
        s.append("Command: `").append(command).append("`. Run on ").append(machine).append(".\n");
        s.append("""
                The harness starts the platform with `deploy/local/up` (every service its own JVM, serial GC, `-Xmx256m`, C2 alone, one
                local stack with 4 partitions per topic, the demo tenant) on spare loopback ports, then drives it from
                its own process through the gateway as the demo user, as any client would. The gateway's rate limits
                are lifted for the run (`TOLLGATE_GATEWAY_RATE_LIMITS_*`); everything else is as `deploy/local/up`
                runs it, access logs included. Every trigger carries its own `request_id`, a `request_metadata`
                object and a `callback_url` to a receiver on 127.0.0.1, and each phase waits for its runs' callbacks.
                The phases run twice: on the empty store (**empty**), then (**with history**) after a seeding tool
                wrote a history of other users straight into the same platform's store through the MongoDB driver
                and the platform was stopped and started again on that data folder. Each pass starts with a fresh
                `deploy/local/up` and a warm-up, not reported: %s. Nothing is cleaned between phases or passes.
                Every figure below comes from this one run.

                """.formatted(warmUp(plan)));

        s.append("### The history\n\n").append(history(f.seeding())).append("\n\n");

        PlatformFigures.Pass e = f.empty();
        PlatformFigures.Pass h = f.history();
        s.append("### Side by side\n\n");
        s.append("| figure | ").append(EMPTY).append(" | ").append(HISTORY).append(" | with history / empty |\n");
        s.append("|---|---|---|---|\n");
        row(s, "`deploy/local/up --detach`, s", e.upSeconds(), h.upSeconds(), "%.1f");
        for (int i = 0; i < e.triggerRates().size() && i < h.triggerRates().size(); i++) {
            PlatformFigures.TriggerRate re = e.triggerRates().get(i);
            PlatformFigures.TriggerRate rh = h.triggerRates().get(i);
            row(s, "trigger ack p50 ms at " + re.offered() + "/s", re.acks().p50Millis(), rh.acks().p50Millis(),
                    "%.1f");
            row(s, "trigger ack p99 ms at " + re.offered() + "/s", re.acks().p99Millis(), rh.acks().p99Millis(),
                    "%.1f");
        }
        int rate = e.callbacks().rate();
        row(s, "trigger to callback p50 ms at " + rate + "/s (from accepted)", e.callbacks().fromAccepted().p50Millis(),
                h.callbacks().fromAccepted().p50Millis(), "%.1f");
        row(s, "trigger to callback p95 ms at " + rate + "/s (from accepted)", e.callbacks().fromAccepted().p95Millis(),
                h.callbacks().fromAccepted().p95Millis(), "%.1f");
        row(s, "trigger to callback p99 ms at " + rate + "/s (from accepted)", e.callbacks().fromAccepted().p99Millis(),
                h.callbacks().fromAccepted().p99Millis(), "%.1f");
        row(s, "waiting status read, answered after the run's end, p50 ms", e.waits().afterEnd().p50Millis(),
                h.waits().afterEnd().p50Millis(), "%.0f");
        row(s, "waiting status read, answered after the run's end, p95 ms", e.waits().afterEnd().p95Millis(),
                h.waits().afterEnd().p95Millis(), "%.0f");
        row(s, "waiting status read, answered after the run's end, max ms", e.waits().afterEnd().maxMillis(),
                h.waits().afterEnd().maxMillis(), "%.0f");
        row(s, "waiting status reads per run", e.waits().readsPerRun(), h.waits().readsPerRun(), "%.2f");
        PlatformFigures.Fairness fe = e.fairness();
        PlatformFigures.Fairness fh = h.fairness();
        String flood = String.format(Locale.ROOT, "while tenant A floods %,d runs", fe.floodRuns());
        row(s, "tenant B trigger to callback p50 ms at " + fe.rate() + "/s, alone", fe.bAlone().p50Millis(),
                fh.bAlone().p50Millis(), "%.1f");
        row(s, "tenant B trigger to callback p95 ms at " + fe.rate() + "/s, alone", fe.bAlone().p95Millis(),
                fh.bAlone().p95Millis(), "%.1f");
        row(s, "tenant B trigger to callback p50 ms " + flood, fe.bDuringFlood().p50Millis(),
                fh.bDuringFlood().p50Millis(), "%.1f");
        row(s, "tenant B trigger to callback p95 ms " + flood, fe.bDuringFlood().p95Millis(),
                fh.bDuringFlood().p95Millis(), "%.1f");
        row(s, "tenant B p95 during the flood / alone (target at most 2)",
                fe.bDuringFlood().p95Millis() / Math.max(1e-9, fe.bAlone().p95Millis()),
                fh.bDuringFlood().p95Millis() / Math.max(1e-9, fh.bAlone().p95Millis()), "%.2f");
        row(s, "tenant B triggers refused " + flood + " (of those sent)", fe.bRefusedDuringFlood() + " of "
                + fe.bTriggeredDuringFlood(), fh.bRefusedDuringFlood() + " of " + fh.bTriggeredDuringFlood());
        row(s, "tenant A runs/s flooding alone", fe.aAloneRunsPerSecond(), fh.aAloneRunsPerSecond(), "%.1f");
        row(s, "tenant A runs/s flooding beside tenant B", fe.aBesideBRunsPerSecond(), fh.aBesideBRunsPerSecond(),
                "%.1f");
        for (int i = 0; i < e.saturation().size() && i < h.saturation().size(); i++) {
            PlatformFigures.Saturation se = e.saturation().get(i);
            PlatformFigures.Saturation sh = h.saturation().get(i);
            String workers = se.workers() == 1 ? "one worker" : se.workers() + " workers";
            row(s, "runs/s, " + workers, se.runsPerSecond(), sh.runsPerSecond(), "%.1f");
            row(s, "CPU ms per run, all processes, " + workers, se.cpuMsPerRun(), sh.cpuMsPerRun(), "%.1f");
        }
        row(s, "purchases/s, " + e.purchases().clients() + " clients", e.purchases().sample().perSecond(),
                h.purchases().sample().perSecond(), "%.1f");
        row(s, "purchase p50 ms", e.purchases().sample().p50Millis(), h.purchases().sample().p50Millis(), "%.1f");
        row(s, "idle CPU, all processes, % of one core", e.idle().percentOfOneCore(), h.idle().percentOfOneCore(),
                "%.1f");
        row(s, "of which JIT compiler threads, % of one core", e.idle().jitPercentOfOneCore(),
                h.idle().jitPercentOfOneCore(), "%.1f");
        row(s, "idle documents examined per second, all databases", sum(e.idle().docsExaminedPerSecond()),
                sum(h.idle().docsExaminedPerSecond()), "%.0f");
        s.append(String.format(Locale.ROOT, "%nThe issue's targets: trigger-to-callback p95 with the history within "
                + "1.2x of the empty store; the whole platform idle with the history at most 5 %% of one core; "
                + "`deploy/local/up` as fast with the history as without. Idle is %d s with no traffic, %d s after "
                + "the one-worker burst's last callback, CPU time (`utime + stime` from `/proc/<pid>/stat`) summed "
                + "over every process; of it, the JVMs' JIT compiler threads (`/proc/<pid>/task`), a JVM settling after "
                + "the burst, not the idle platform's own work.%n%n", Math.round(e.idle().seconds()), plan.idleSettle().toSeconds()));

        s.append(String.format(Locale.ROOT, "Status long-poll: %d runs, each triggered and then followed with "
                + "`GET /api/agent-webhooks/runs/{id}?wait_seconds=30` by %d clients back to back; \"answered after the "
                + "run's end\" is from the run's `completed_at` to the waiting read's answer arriving (wall clock, "
                + "milliseconds). Fairness (issue 19): tenant B (the demo's second user, its own budget, its own HTTP "
                + "client) triggers %d/s alone for %d s; after %d s without B (so B is idle as the platform counts it), "
                + "tenant A (the demo user) floods %,d runs from %d clients back to back (a refused trigger retried "
                + "after its Retry-After); then A floods again while B triggers at the same rate. B's latency is from "
                + "sending each trigger to its callback arriving (refused triggers are counted, not retried); A's "
                + "runs/s from its first trigger to its last run's end, alone and beside B. The platform's defaults: "
                + "no run limit (the worker's slots handed out round robin), and a budget's triggers paced to 100/s "
                + "while another budget triggers too (never when alone).%n%n",
                plan.waitRuns(), plan.waitClients(), plan.tenantBRate(), plan.tenantBAlone().toSeconds(),
                TenantFairness.B_IDLE.toSeconds(), plan.floodRuns(), plan.floodClients()));
        s.append("Documents the store examined per second during the idle window (its `tollgateStats` counter: what "
                + "the services' sweeps read), by database:\n\n");
        s.append("| database | docs examined per s idle, ").append(EMPTY).append(" | ").append(HISTORY).append(" |\n");
        s.append("|---|---|---|\n");
        for (String db : e.idle().docsExaminedPerSecond().keySet()) {
            s.append(String.format(Locale.ROOT, "| %s | %.0f | %s |%n", db, e.idle().docsExaminedPerSecond().get(db),
                    num(Optional.ofNullable(h.idle().docsExaminedPerSecond().get(db)), "%.0f")));
        }
        s.append("\n### Start, memory and CPU per process\n\n");
        s.append("Start time is Quarkus's own \"started in\" (the six services start at the same moment and share the "
                + "cores; `worker-2` starts later, alone); resident memory (RSS) is read from `/proc` after the "
                + "load; CPU per run is the process's CPU time during the one-worker burst (first trigger to last "
                + "callback) divided by its runs; idle is its share of the idle window.\n\n");
        s.append("| process | started in s, ").append(EMPTY).append(" | ").append(HISTORY)
                .append(" | RSS after the load MiB, ").append(EMPTY).append(" | ").append(HISTORY)
                .append(" | CPU ms per run, ").append(EMPTY).append(" | ").append(HISTORY)
                .append(" | idle CPU %, ").append(EMPTY).append(" | ").append(HISTORY).append(" |\n");
        s.append("|---|---|---|---|---|---|---|---|---|\n");
        for (PlatformFigures.Process pe : e.processes()) {
            Optional<PlatformFigures.Process> ph = h.processes().stream().filter(p -> p.name().equals(pe.name()))
                    .findFirst();
            s.append("| ").append(pe.name()).append(" | ")
                    .append(num(pe.startSeconds(), "%.2f")).append(" | ")
                    .append(num(ph.flatMap(PlatformFigures.Process::startSeconds), "%.2f")).append(" | ")
                    .append(num(pe.loaded().map(ProcessFigures.Memory::rssMiB), "%.0f")).append(" | ")
                    .append(num(ph.flatMap(PlatformFigures.Process::loaded).map(ProcessFigures.Memory::rssMiB), "%.0f"))
                    .append(" | ").append(num(pe.cpuMsPerRun(), "%.1f")).append(" | ")
                    .append(num(ph.flatMap(PlatformFigures.Process::cpuMsPerRun), "%.1f")).append(" | ")
                    .append(num(pe.idleCpuPercent(), "%.1f")).append(" | ")
                    .append(num(ph.flatMap(PlatformFigures.Process::idleCpuPercent), "%.1f")).append(" |\n");
        }

        s.append(String.format(Locale.ROOT, "%n### Trigger acknowledgement%n%n`POST /api/agent-webhooks/{id}/trigger` "
                + "through the gateway at a fixed offered rate (open loop, %d s each; the runs of one rate finish, "
                + "callbacks included, before the next starts); a one-step template workflow. Every accepted trigger "
                + "is also a run the worker executes and a callback callback-service POSTs, on the same cores, so "
                + "past the runs per second below, the queue and the latency grow.%n%n", plan.perRate().toSeconds()));
        s.append("| store | offered | achieved | p50 ms | p99 ms | failed |\n|---|---|---|---|---|---|\n");
        for (PlatformFigures.Pass p : List.of(e, h)) {
            for (PlatformFigures.TriggerRate r : p.triggerRates()) {
                s.append(String.format(Locale.ROOT, "| %s | %d/s | %.0f/s | %.1f | %.1f | %d |%n", label(f, p),
                        r.offered(), r.acks().perSecond(), r.acks().p50Millis(), r.acks().p99Millis(),
                        r.acks().failures()));
            }
        }

        s.append(String.format(Locale.ROOT, "%n### Trigger to callback received%n%nTo a run's signed final-status POST "
                + "arriving at a receiver on 127.0.0.1 (trigger, `workflow.run.requested`, worker, "
                + "`workflow.run.lifecycle`, callback-service, POST), at %d/s for %d s: from sending the trigger, and "
                + "from its answer (accepted). design.md's budget: p95 under 15 ms from accepted.%n%n", rate,
                plan.callbackPhase().toSeconds()));
        s.append("| store | runs | callbacks received | repeated POSTs | from sent p50 ms | p99 ms | from accepted p50 ms "
                + "| p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (PlatformFigures.Pass p : List.of(e, h)) {
            PlatformFigures.CallbackLatency c = p.callbacks();
            s.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                    label(f, p), c.triggered(), c.delivered(), c.repeats(), c.fromSent().p50Millis(),
                    c.fromSent().p99Millis(), c.fromAccepted().p50Millis(), c.fromAccepted().p95Millis(),
                    c.fromAccepted().p99Millis(), c.fromAccepted().maxMillis()));
        }

        s.append(String.format(Locale.ROOT, "%n### Runs per second at saturation%n%n%d runs triggered as fast as %d "
                + "clients can, from the first trigger to the last `run.completed` on `workflow.run.lifecycle`; the "
                + "second worker is started with `deploy/local/add-worker`, and measured once its consumer group is "
                + "stable and the platform has been warmed up with it as at the start of the pass. CPU per run: every "
                + "process's CPU time from the first trigger to the last callback, summed, "
                + "per completed run.%n%n", plan.batchRuns(), plan.batchClients()));
        s.append("| store | workers | runs | completed | callbacks received | runs/s | CPU ms per run |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (PlatformFigures.Pass p : List.of(e, h)) {
            for (PlatformFigures.Saturation r : p.saturation()) {
                s.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.1f | %.1f |%n", label(f, p),
                        r.workers(), r.triggered(), r.completed(), r.callbacks(), r.runsPerSecond(),
                        r.cpuMsPerRun()));
            }
        }

        s.append(String.format(Locale.ROOT, "%n### Purchases%n%n`POST /products/purchase` (the demo's priced built-in "
                + "tool) from %d clients back to back for %d s: validate, order, hold, run the tool, capture.%n%n",
                e.purchases().clients(), plan.purchasePhase().toSeconds()));
        s.append("| store | purchases/s | p50 ms | p99 ms | failed | credits charged | price x purchases |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (PlatformFigures.Pass p : List.of(e, h)) {
            PlatformFigures.Purchases u = p.purchases();
            s.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %d | %d | %d |%n", label(f, p),
                    u.sample().perSecond(), u.sample().p50Millis(), u.sample().p99Millis(), u.sample().failures(),
                    u.charged(), u.expected()));
        }

        s.append(String.format(Locale.ROOT, "%n### Gateway overhead%n%nOn the empty store: the same "
                + "`GET /credits/balance` straight to credits-service and through the gateway, interleaved request by "
                + "request; %d round(s) of %d requests per path, medians over rounds.%n%n", plan.overheadRounds(),
                plan.overheadRequests()));
        s.append(SideBySide.tables(f.overheadSingle(), f.overheadMany(), plan.overheadClients()));
        s.append("\n");
        return s.toString();
    }

    private static String label(PlatformFigures f, PlatformFigures.Pass p) {
        return p == f.empty() ? EMPTY : HISTORY;
    }

    private static void row(StringBuilder s, String figure, String empty, String history) {
        s.append("| ").append(figure).append(" | ").append(empty).append(" | ").append(history).append(" | - |\n");
    }

    private static void row(StringBuilder s, String figure, double empty, double history, String format) {
        s.append("| ").append(figure).append(" | ").append(String.format(Locale.ROOT, format, empty)).append(" | ")
                .append(String.format(Locale.ROOT, format, history)).append(" | ")
                .append(empty > 0 ? String.format(Locale.ROOT, "%.2f", history / empty) : "-").append(" |\n");
    }

    private static double sum(java.util.Map<String, Double> values) {
        return values.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static String num(Optional<Double> value, String format) {
        return value.map(v -> String.format(Locale.ROOT, format, v)).orElse("-");
    }
}
