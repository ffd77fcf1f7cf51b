package dev.tollgate.localstack.bench;

import java.util.Locale;
import java.util.Optional;

/** The {@code platform} section of {@code docs/benchmarks.md}, from one run's figures. */
final class PlatformReport {

    private PlatformReport() {
    }

    static String section(PlatformFigures f, Plan plan, String command, String machine) {
        StringBuilder s = new StringBuilder();
        s.append("## The whole platform, one run\n\n");
        s.append("Command: `").append(command).append("`. Run on ").append(machine).append(".\n");
        s.append("""
                The harness starts the platform with `deploy/local/up` (every service its own JVM, `-Xmx384m`, one
                local stack with 4 partitions per topic, the demo tenant) on spare loopback ports, then drives it from
                its own process through the gateway as the demo user, as any client would. The gateway's rate limits
                are lifted for the run (`TOLLGATE_GATEWAY_RATE_LIMITS_*`); everything else is as `deploy/local/up`
                runs it, access logs included. A warm-up (runs, purchases and balance reads, not reported) comes
                first. Every figure below comes from this one run.

                """);

        s.append(String.format(Locale.ROOT, "### Start and memory%n%n`deploy/local/up --detach` returned after **%.1f s** "
                + "(local stack, six services ready, demo tenant seeded). Start time is Quarkus's own \"started in\"; "
                + "resident memory (RSS) is read from `/proc` after start, after the load, and its peak. The six services "
                + "start at the same moment and share the cores; `worker-2` starts later, alone.%n%n",
                f.upSeconds()));
        s.append("| process | started in s | RSS after start MiB | RSS after the load MiB | peak RSS MiB |\n");
        s.append("|---|---|---|---|---|\n");
        for (PlatformFigures.Process p : f.processes()) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", p.name(),
                    p.startSeconds().map(v -> String.format(Locale.ROOT, "%.2f", v)).orElse("-"),
                    mib(p.idle().map(ProcessFigures.Memory::rssMiB)), mib(p.loaded().map(ProcessFigures.Memory::rssMiB)),
                    mib(p.loaded().map(ProcessFigures.Memory::peakMiB))));
        }

        s.append(String.format(Locale.ROOT, "%n### Trigger acknowledgement%n%n`POST /api/agent-webhooks/{id}/trigger` "
                + "through the gateway at a fixed offered rate (open loop, %d s each; the runs of one rate finish "
                + "before the next starts); a one-step template workflow. Every accepted trigger is also a run the "
                + "worker executes on the same cores, so past the runs per second below, the queue and the latency "
                + "grow.%n%n", plan.perRate().toSeconds()));
        s.append("| offered | achieved | p50 ms | p99 ms | failed |\n|---|---|---|---|---|\n");
        for (PlatformFigures.TriggerRate r : f.triggerRates()) {
            s.append(String.format(Locale.ROOT, "| %d/s | %.0f/s | %.1f | %.1f | %d |%n", r.offered(),
                    r.acks().perSecond(), r.acks().p50Millis(), r.acks().p99Millis(), r.acks().failures()));
        }

        PlatformFigures.CallbackLatency c = f.callbacks();
        s.append(String.format(Locale.ROOT, "%n### Trigger to callback received%n%nTo a run's signed final-status POST "
                + "arriving at a receiver on 127.0.0.1 (trigger, `workflow.run.requested`, worker, "
                + "`workflow.run.lifecycle`, callback-service, POST), at %d/s for %d s: from sending the trigger, and "
                + "from its answer (accepted). design.md's budget: p95 under 15 ms from accepted.%n%n", c.rate(),
                plan.callbackPhase().toSeconds()));
        s.append("| runs | callbacks received | repeated POSTs | from sent p50 ms | p99 ms | from accepted p50 ms "
                + "| p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|---|---|\n");
        s.append(String.format(Locale.ROOT, "| %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                c.triggered(), c.delivered(), c.repeats(), c.fromSent().p50Millis(), c.fromSent().p99Millis(),
                c.fromAccepted().p50Millis(), c.fromAccepted().p95Millis(), c.fromAccepted().p99Millis(),
                c.fromAccepted().maxMillis()));

        s.append(String.format(Locale.ROOT, "%n### Runs per second at saturation%n%n%d runs triggered as fast as %d "
                + "clients can, from the first trigger to the last `run.completed` on `workflow.run.lifecycle`; the "
                + "second worker is started with `deploy/local/add-worker` and measured once its consumer group is "
                + "stable.%n%n", plan.batchRuns(), plan.batchClients()));
        s.append("| workers | runs | completed | runs/s |\n|---|---|---|---|\n");
        for (PlatformFigures.Saturation r : f.saturation()) {
            s.append(String.format(Locale.ROOT, "| %d | %d | %d | %.1f |%n", r.workers(), r.triggered(),
                    r.completed(), r.runsPerSecond()));
        }
        if (f.saturation().size() == 2 && f.saturation().get(0).runsPerSecond() > 0) {
            s.append(String.format(Locale.ROOT, "%nTwo workers / one: **%.2f** (on 2 cores the second worker adds "
                    + "consumers and run slots, not CPU).%n", f.saturation().get(1).runsPerSecond()
                    / f.saturation().get(0).runsPerSecond()));
        }

        PlatformFigures.Purchases p = f.purchases();
        s.append(String.format(Locale.ROOT, "%n### Purchases%n%n`POST /products/purchase` (the demo's priced built-in "
                + "tool) from %d clients back to back for %d s: validate, order, hold, run the tool, capture.%n%n",
                p.clients(), plan.purchasePhase().toSeconds()));
        s.append("| purchases/s | p50 ms | p99 ms | failed | credits charged | price x purchases |\n"
                + "|---|---|---|---|---|---|\n");
        s.append(String.format(Locale.ROOT, "| %.1f | %.1f | %.1f | %d | %d | %d |%n", p.sample().perSecond(),
                p.sample().p50Millis(), p.sample().p99Millis(), p.sample().failures(), p.charged(), p.expected()));

        s.append(String.format(Locale.ROOT, "%n### Gateway overhead%n%nThe same `GET /credits/balance` straight to "
                + "credits-service and through the gateway, interleaved request by request; %d round(s) of %d "
                + "requests per path, medians over rounds.%n%n", plan.overheadRounds(), plan.overheadRequests()));
        s.append(SideBySide.tables(f.overheadSingle(), f.overheadMany(), plan.overheadClients()));
        s.append("\n");
        return s.toString();
    }

    private static String mib(Optional<Double> value) {
        return value.map(v -> String.format(Locale.ROOT, "%.0f", v)).orElse("-");
    }
}
