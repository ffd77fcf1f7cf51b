package dev.tollgate.localstack.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The {@code runpath} section of {@code docs/benchmarks.md}: Tollgate and its peer, ratios, and the targets. */
final class RunPathReport {

    /** Issue 15's targets, for Tollgate. */
    static final double ACK_P99_MS = 30;
    static final double CALLBACK_P95_MS = 30;
    static final double RUNS_PER_SECOND = 400;
    static final double CPU_MS_PER_RUN = 8;
    static final double PURCHASES_PER_SECOND = 300;
    static final double PURCHASE_P99_MS = 100;
    static final double RSS_MIB = 250;
    /** Two workers "must not drop": below one worker's figure by more than this share counts as a drop. */
    static final double SECOND_WORKER_NOISE = 0.05;

    private RunPathReport() {
    }

    static String section(RunPathFigures f, RunPathPlan plan, String command, String machine) {
        RunPathFigures.Side t = f.tollgate();
        RunPathFigures.Side p = f.peer();
        StringBuilder s = new StringBuilder();
        s.append("## The run path: Tollgate beside a BullMQ + Redis peer\n\n");
        s.append("Command: `").append(command).append("`. Run on ").append(machine).append(".\n");
        s.append(String.format(Locale.ROOT, """

                Issue 15's figures for the main job (trigger, run, signed callback), with a peer measured in the same
                run by the same load generator. **Tollgate** is started as `deploy/local/up` starts it (every service
                its own JVM, the local stack with Kafka and the store, the demo tenant; the gateway's rate limits
                lifted) and driven through the gateway as the demo user with the demo's one-step template workflow.
                The **peer** (`bench/peers/bullmq`) does the same job the simplest usual way: redis-server (Debian's,
                append-only file synced every second, no snapshots), an API process (Node, `POST
                /api/agent-webhooks/{id}/trigger` with Tollgate's request and response shapes, the request id as the
                BullMQ job id) and a BullMQ worker process (concurrency 16: the template step, then the final-status
                POST in Tollgate's callback body, signed by the Standard Webhooks library, retried with backoff on
                anything but a 2xx). It has no users, budgets, catalog, ledger, lifecycle events or delivery records,
                and an acknowledged trigger may be lost to a machine crash within a second: it is the floor of the
                job, not an equivalent. Both run one after the other on the same cores (Tollgate first), each after
                a warm-up (triggers rising to %d/s, then at that rate, for %d s in all, not reported: long enough
                for the JVMs' JIT compilers to settle, so that CPU per run is the steady state's, not a start's). Every trigger carries its own `request_id`, a
                `request_metadata` object and a `callback_url` to a receiver in the harness on 127.0.0.1; each phase
                waits for its runs' callbacks before the next starts. CPU time is `utime + stime` of
                `/proc/<pid>/stat` and memory `VmRSS` of `/proc/<pid>/status`, of each system's own processes (the
                load generator and the receiver are the harness's, counted for neither).

                """, plan.warmupRate(), plan.warmup().toSeconds()));

        s.append("### Tollgate's store: ");
        f.history().ifPresentOrElse(h -> s.append(String.format(Locale.ROOT, "%,d runs of history%n%n",
                h.seeded().counts().runs())).append(PlatformReport.history(h)).append("""
                 Tollgate was then stopped and started again on that data folder (its indexes loaded from the file, as
                any restart of a platform in use), before its warm-up; nothing was cleaned before or between the
                phases, so each phase also runs on the runs of the phases before it. The peer starts on an empty Redis:
                BullMQ's job path reads no history.

                """), () -> s.append("""
                empty

                Nothing was seeded (`--history-scale 0`): these figures do not show what a history costs the run path.

                """));

        int rate = plan.latencyRate();
        s.append("### Figures, ratios and targets\n\n");
        s.append("Tollgate / peer: above 1 means Tollgate takes more (time, CPU, memory) or, for runs per second, "
                + "does more. The targets are Tollgate's (issue 15).\n\n");
        s.append("| figure | Tollgate | peer | Tollgate / peer | target | Tollgate meets it |\n"
                + "|---|---|---|---|---|---|\n");
        PlatformFigures.CallbackLatency tl = t.latency();
        PlatformFigures.CallbackLatency pl = p.latency();
        row(s, "runs triggered at " + rate + "/s", tl.triggered(), pl.triggered(), "%d", false, "-", null);
        row(s, "callbacks received at " + rate + "/s", tl.delivered(), pl.delivered(), "%d", false,
                "every run's, once", allCalledBack(tl));
        row(s, "trigger ack p50 ms at " + rate + "/s", tl.acks().p50Millis(), pl.acks().p50Millis(), "%.1f", true,
                "-", null);
        row(s, "trigger ack p99 ms at " + rate + "/s", tl.acks().p99Millis(), pl.acks().p99Millis(), "%.1f", true,
                "<= " + fmt(ACK_P99_MS), tl.acks().p99Millis() <= ACK_P99_MS);
        row(s, "trigger to callback p50 ms at " + rate + "/s", tl.fromAccepted().p50Millis(),
                pl.fromAccepted().p50Millis(), "%.1f", true, "-", null);
        row(s, "trigger to callback p95 ms at " + rate + "/s", tl.fromAccepted().p95Millis(),
                pl.fromAccepted().p95Millis(), "%.1f", true, "<= " + fmt(CALLBACK_P95_MS),
                tl.fromAccepted().p95Millis() <= CALLBACK_P95_MS && tl.delivered() > 0);
        row(s, "runs/s at saturation, one worker", t.oneWorker().runsPerSecond(), p.oneWorker().runsPerSecond(),
                "%.1f", true, ">= " + fmt(RUNS_PER_SECOND), t.oneWorker().runsPerSecond() >= RUNS_PER_SECOND);
        row(s, "runs/s at saturation, two workers", t.twoWorkers().runsPerSecond(), p.twoWorkers().runsPerSecond(),
                "%.1f", true, "no drop from one worker (5 % noise)", t.twoWorkers().runsPerSecond()
                        >= t.oneWorker().runsPerSecond() * (1 - SECOND_WORKER_NOISE) && t.twoWorkers().inWindow() > 0);
        row(s, "CPU ms per run, all processes, at " + plan.cpuRate() + "/s", t.cpu().totalMsPerRun(),
                p.cpu().totalMsPerRun(), "%.2f", true, "<= " + fmt(CPU_MS_PER_RUN),
                t.cpu().totalMsPerRun() <= CPU_MS_PER_RUN && t.cpu().runs() > 0);
        tollgateOnly(s, "of which JIT compiler threads (JVMs still warming up)",
                twoDecimals(t.cpu().totalJitMsPerRun()), "-", null);
        Optional<PlatformFigures.Purchases> bought = t.purchases();
        if (bought.isPresent()) {
            PlatformFigures.Purchases u = bought.get();
            tollgateOnly(s, "purchases/s, " + u.clients() + " clients", fmt2(u.sample().perSecond()),
                    ">= " + fmt(PURCHASES_PER_SECOND), u.sample().perSecond() >= PURCHASES_PER_SECOND);
            tollgateOnly(s, "purchase p99 ms, " + u.clients() + " clients", fmt2(u.sample().p99Millis()),
                    "<= " + fmt(PURCHASE_P99_MS), u.sample().p99Millis() <= PURCHASE_P99_MS);
            tollgateOnly(s, "credits charged minus price x purchases", Long.toString(u.charged() - u.expected()),
                    "0 (charged exactly)", u.charged() == u.expected() && u.sample().failures() == 0);
        }
        row(s, "RSS after the load, largest service, MiB", t.largestRssMiB(), p.largestRssMiB(), "%.0f", true,
                "<= " + fmt(RSS_MIB) + " each", t.largestRssMiB() <= RSS_MIB && t.largestRssMiB() > 0);
        row(s, "RSS after the load, all processes, MiB", t.totalRssMiB(), p.totalRssMiB(), "%.0f", true, "-", null);
        if (!p.oneWorker().saturated() || !p.twoWorkers().saturated()) {
            s.append(String.format(Locale.ROOT, "%nThe peer kept up with the offered %d/s (no queue at the end of "
                    + "the window): its runs/s is what was offered, a lower bound of its capacity, and the ratio an "
                    + "upper bound. `--rates` offers more.%n", plan.saturationRate()));
        }
        if (!t.oneWorker().saturated() || !t.twoWorkers().saturated()) {
            s.append(String.format(Locale.ROOT, "%nTollgate kept up with the offered %d/s (no queue at the end of "
                    + "the window): its runs/s is what was offered, a lower bound of its capacity.%n",
                    plan.saturationRate()));
        }

        s.append(String.format(Locale.ROOT, "%n### CPU per run and memory, per process%n%nCPU per run: the "
                + "process's CPU time from the first trigger of the %d/s phase (%d s) to its last callback, divided "
                + "by its runs; of it, the time of the JVM's JIT compiler threads (`C1/C2 CompilerThread*` in "
                + "`/proc/<pid>/task`; a lower bound, as idle compiler threads exit), which is a JVM warming up, "
                + "not work a run needs. Memory: resident set (`VmRSS`) after every phase, and its peak (`VmHWM`). "
                + "`worker-2` is the worker added (and warmed up at the warm-up rate) for the second saturation pass.%n%n", plan.cpuRate(),
                plan.cpuPhase().toSeconds()));
        processes(s, "Tollgate process", t, true);
        s.append('\n');
        processes(s, "peer process", p, false);

        s.append(String.format(Locale.ROOT, "%n### The phases%n%nCPU: triggers at %d/s for %d s (open loop).%n%n",
                plan.cpuRate(), plan.cpuPhase().toSeconds()));
        s.append("| system | CPU rate | runs | callbacks received | failed triggers | CPU ms per run |\n"
                + "|---|---|---|---|---|---|\n");
        for (RunPathFigures.Side side : List.of(t, p)) {
            RunPathFigures.Cpu c = side.cpu();
            s.append(String.format(Locale.ROOT, "| %s | %d/s | %d | %d | %d | %.2f |%n", side.name(), c.rate(),
                    c.runs(), c.callbacks(), c.failedTriggers(), c.totalMsPerRun()));
        }

        s.append(String.format(Locale.ROOT, "%nLatency: triggers at %d/s for %d s (open loop); trigger ack is the "
                + "trigger's answer time, trigger to callback runs from that answer (accepted) to the signed POST "
                + "arriving.%n%n", rate, plan.latencyPhase().toSeconds()));
        s.append("| system | rate | runs | callbacks received | repeated POSTs | failed triggers | ack p50 ms | "
                + "ack p99 ms | to callback p50 ms | p95 ms | p99 ms | max ms |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (RunPathFigures.Side side : List.of(t, p)) {
            PlatformFigures.CallbackLatency c = side.latency();
            s.append(String.format(Locale.ROOT, "| %s | %d/s | %d | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | "
                    + "%.1f | %.1f |%n", side.name(), c.rate(), c.triggered(), c.delivered(), c.repeats(),
                    c.acks().failures(), c.acks().p50Millis(), c.acks().p99Millis(), c.fromAccepted().p50Millis(),
                    c.fromAccepted().p95Millis(), c.fromAccepted().p99Millis(), c.fromAccepted().maxMillis()));
        }

        s.append(String.format(Locale.ROOT, "%nSaturation: triggers offered at %d/s for %d s (open loop, at most %d "
                + "awaiting their answer; past that a beat is skipped and counted; a trigger refused for overload, "
                + "503 with `Retry-After`, is counted as refused, its answer time in the answers' p99); runs/s "
                + "counts the callbacks "
                + "that arrived from %.1f s after the first trigger to the end of the offering. The backlog is what "
                + "was accepted and not yet called back when the offering ended (a queue: the system was at "
                + "capacity); every accepted run's callback is then awaited (drain).%n%n", plan.saturationRate(),
                plan.saturationPhase().toSeconds(), plan.saturationInFlight(),
                plan.saturationRamp().toMillis() / 1000.0));
        s.append("| system | workers | offered | accepted | skipped | refused | failed | answer p99 ms | window s | "
                + "callbacks in window | runs/s | backlog at the end | saturated | called back | drain s |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (RunPathFigures.Side side : List.of(t, p)) {
            for (RunPathFigures.Saturation r : List.of(side.oneWorker(), side.twoWorkers())) {
                s.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %.1f | %.1f | %d | %.1f "
                        + "| %d | %s | %d | %.1f |%n", side.name(), r.workers(), r.offered(), r.accepted(), r.skipped(),
                        r.refused(), r.failed(), r.answerP99Millis(), r.windowSeconds(), r.inWindow(), r.runsPerSecond(), r.backlog(),
                        r.saturated() ? "yes" : "no", r.called(), r.drainSeconds()));
            }
        }

        if (bought.isPresent()) {
            PlatformFigures.Purchases u = bought.get();
            s.append(String.format(Locale.ROOT, "%nPurchases (Tollgate only: the peer sells nothing): "
                    + "`POST /products/purchase` of the demo's priced tool from %d clients back to back for %d s, "
                    + "after %d s of the same as a warm-up (credits-service serves no run: its JIT warms up here); "
                    + "the balance read before and after.%n%n", u.clients(), plan.purchasePhase().toSeconds(),
                    plan.warmupPurchases().toSeconds()));
            s.append("| system | purchases/s | p50 ms | p99 ms | failed | credits charged | price x purchases |\n"
                    + "|---|---|---|---|---|---|---|\n");
            s.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %d | %d | %d |%n", t.name(),
                    u.sample().perSecond(), u.sample().p50Millis(), u.sample().p99Millis(), u.sample().failures(),
                    u.charged(), u.expected()));
        }
        s.append('\n');
        return s.toString();
    }

    private static Boolean allCalledBack(PlatformFigures.CallbackLatency c) {
        return c.triggered() > 0 && c.delivered() == c.triggered() && c.repeats() == 0 && c.acks().failures() == 0;
    }

    private static void processes(StringBuilder s, String header, RunPathFigures.Side side, boolean target) {
        s.append("| ").append(header).append(" | CPU ms per run |").append(target ? " of which JIT |" : "")
                .append(" RSS after the load MiB | peak RSS MiB |")
                .append(target ? " RSS <= " + fmt(RSS_MIB) + " MiB |\n|---|---|---|---|---|---|\n" : "\n|---|---|---|---|\n");
        for (Map.Entry<String, Optional<ProcessFigures.Memory>> e : side.memory().entrySet()) {
            Double cpu = side.cpu().msPerRun().get(e.getKey());
            Double jit = side.cpu().jitMsPerRun().get(e.getKey());
            Optional<ProcessFigures.Memory> m = e.getValue();
            s.append("| ").append(e.getKey()).append(" | ")
                    .append(cpu == null ? "-" : String.format(Locale.ROOT, "%.2f", cpu)).append(" | ");
            if (target) {
                s.append(jit == null || cpu == null ? "-" : String.format(Locale.ROOT, "%.2f", jit)).append(" | ");
            }
            s.append(m.map(x -> String.format(Locale.ROOT, "%.0f", x.rssMiB())).orElse("-")).append(" | ")
                    .append(m.map(x -> String.format(Locale.ROOT, "%.0f", x.peakMiB())).orElse("-")).append(" |");
            if (target) {
                s.append(' ').append(RunPathFigures.Side.isService(e.getKey())
                        ? verdict(m.isPresent() && m.get().rssMiB() <= RSS_MIB) : "- (not a service)").append(" |");
            }
            s.append('\n');
        }
        s.append(String.format(Locale.ROOT, "| all | %.2f |%s %.0f | - |%s%n", side.cpu().totalMsPerRun(),
                target ? String.format(Locale.ROOT, " %.2f |", side.cpu().totalJitMsPerRun()) : "",
                side.totalRssMiB(), target ? " - |" : ""));
    }

    private static void row(StringBuilder s, String figure, double tollgate, double peer, String format,
            boolean ratio, String target, Boolean met) {
        String t = format.equals("%d") ? Long.toString(Math.round(tollgate)) : String.format(Locale.ROOT, format,
                tollgate);
        String p = format.equals("%d") ? Long.toString(Math.round(peer)) : String.format(Locale.ROOT, format, peer);
        String r = !ratio ? "n/a" : peer > 0 ? String.format(Locale.ROOT, "%.2f", tollgate / peer) : "-";
        s.append("| ").append(figure).append(" | ").append(t).append(" | ").append(p).append(" | ").append(r)
                .append(" | ").append(target).append(" | ").append(met == null ? "-" : verdict(met)).append(" |\n");
    }

    private static void tollgateOnly(StringBuilder s, String figure, String tollgate, String target, Boolean met) {
        s.append("| ").append(figure).append(" | ").append(tollgate).append(" | n/a | n/a | ").append(target)
                .append(" | ").append(met == null ? "-" : verdict(met)).append(" |\n");
    }

    private static String twoDecimals(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String verdict(boolean met) {
        return met ? "pass" : "FAIL";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
