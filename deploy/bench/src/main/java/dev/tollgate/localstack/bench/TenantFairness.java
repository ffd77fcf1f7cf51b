package dev.tollgate.localstack.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Issue 19's fairness figures: tenant B triggering at a steady rate alone, then while tenant A floods the platform
 * with runs as fast as it can (each refused trigger retried after its Retry-After, as a client should), B's trigger
 * to callback latency from the accepted trigger, and A's runs per second flooding alone and beside B. Every trigger
 * carries a request id, metadata and a callback; nothing is cleaned between the phases.
 */
final class TenantFairness {

    /** Longer than the platform's {@code fairness.contended-window} (2 s): B has stopped triggering. */
    static final Duration B_IDLE = Duration.ofSeconds(3);

    private TenantFairness() {
    }

    /** A flood's outcome: runs accepted, completed, and completed per second from its first trigger to its last end. */
    record Flood(int accepted, int completed, double runsPerSecond) {
    }

    static PlatformFigures.Fairness measure(PlatformClient client, String tenantA, String tenantB, String workflow,
            CallbackArrivals callbacks, RunCompletions completions, int floodRuns, int floodClients, int rate,
            Duration alonePhase) throws Exception {
        PlatformClient clientB = client.another(); // tenant B's own client: its connections are not A's
        Steady alone = steadyFor(clientB, tenantB, workflow, callbacks, rate, alonePhase);
        Thread.sleep(B_IDLE); // B idle, as the platform defines it: no trigger within its contended window
        Flood floodAlone = flood(client, tenantA, workflow, callbacks, completions, floodRuns, floodClients);

        BesideFlood beside = besideFlood(client, clientB, tenantA, tenantB, workflow, callbacks, completions,
                floodRuns, floodClients, rate);
        Steady during = beside.b();
        Flood floodBesideB = beside.a();
        return new PlatformFigures.Fairness(floodRuns, rate, alone.latencies(), during.latencies(), during.triggered(),
                during.refused(), floodAlone.runsPerSecond(), floodBesideB.runsPerSecond(),
                floodBesideB.completed());
    }

    /** Tenant B's steady triggers and tenant A's flood, side by side. */
    record BesideFlood(Steady b, Flood a) {
    }

    /** Tenant A floods {@code floodRuns} runs while tenant B triggers at {@code rate}, each with its own client. */
    static BesideFlood besideFlood(PlatformClient clientA, PlatformClient clientB, String tenantA, String tenantB,
            String workflow, CallbackArrivals callbacks, RunCompletions completions, int floodRuns, int floodClients,
            int rate) throws Exception {
        AtomicBoolean flooding = new AtomicBoolean(true);
        CompletableFuture<Flood> flood = CompletableFuture.supplyAsync(() -> {
            try {
                return flood(clientA, tenantA, workflow, callbacks, completions, floodRuns, floodClients);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                flooding.set(false);
            }
        });
        Steady b = steadyWhile(clientB, tenantB, workflow, callbacks, rate, flooding);
        return new BesideFlood(b, flood.get());
    }

    /** {@link #steadyWhile} for {@code phase}. */
    static Steady steadyFor(PlatformClient client, String tenant, String workflow, CallbackArrivals callbacks,
            int rate, Duration phase) throws Exception {
        AtomicBoolean going = new AtomicBoolean(true);
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(phase); // the phase's length, not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                going.set(false);
            }
        });
        return steadyWhile(client, tenant, workflow, callbacks, rate, going);
    }

    /** {@code runs} runs of {@code tenant}, triggered by {@code clients} back to back, until they have all ended. */
    static Flood flood(PlatformClient client, String tenant, String workflow, CallbackArrivals callbacks,
            RunCompletions completions, int runs, int clients) throws Exception {
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        long t0 = System.nanoTime();
        LoadGenerator.burst(clients, runs, () -> triggerRetrying(client, tenant, workflow, callbacks)
                .map(accepted::add).isPresent());
        Map<String, RunCompletions.Finished> ended = completions.await(accepted, Duration.ofMinutes(5));
        long last = ended.values().stream().mapToLong(RunCompletions.Finished::atNanos).max().orElse(t0);
        int completed = (int) ended.values().stream().filter(f -> f.type().equals("run.completed")).count();
        callbacks.await(accepted, Duration.ofMinutes(3));
        return new Flood(accepted.size(), completed, completed / Math.max(1e-9, (last - t0) / 1e9));
    }

    /** A trigger, repeated while the platform answers 503 with a Retry-After (nothing was queued), at most a minute. */
    private static Optional<String> triggerRetrying(PlatformClient client, String tenant, String workflow,
            CallbackArrivals callbacks) throws InterruptedException {
        Map<String, Object> body = PlatformBenchmark.triggerBody(callbacks); // one request id for all the tries
        long giveUp = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            PlatformClient.TriggerAnswer answer = client.triggerAnswer(tenant, workflow, body);
            if (!answer.refused() || System.nanoTime() > giveUp) {
                return answer.runId();
            }
            Thread.sleep(1000); // the Retry-After the refusal names: a client's pacing, not a synchronisation
        }
    }

    /**
     * A steady tenant's triggers: how many were sent, how many refused (any answer but 200, by status), the accepted
     * ones' latency from sending the trigger to its callback arriving, and their acknowledgements.
     */
    record Steady(int triggered, int refused, Map<Integer, Integer> refusals, LatencySample latencies,
            LatencySample acks, Set<String> runIds) {
    }

    /**
     * Triggers at {@code rate} while {@code going} holds; the latency from sending each accepted trigger to its
     * callback, and how many were refused (a refusal is a failure of fairness too: it is counted, not retried).
     */
    static Steady steadyWhile(PlatformClient client, String tenant, String workflow, CallbackArrivals callbacks,
            int rate, AtomicBoolean going) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
        Map<Integer, Integer> refusals = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> sent = Collections.synchronizedList(new ArrayList<>());
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
        while (going.get()) {
            sent.add(CompletableFuture.runAsync(() -> {
                long at = System.nanoTime();
                PlatformClient.TriggerAnswer answer = client.triggerAnswer(tenant, workflow,
                        PlatformBenchmark.triggerBody(callbacks));
                long answered = System.nanoTime();
                answer.runId().ifPresentOrElse(id -> {
                    sentAt.put(id, at);
                    acceptedAt.put(id, answered);
                }, () -> refusals.merge(answer.status(), 1, Integer::sum));
            }, senders));
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // the offered rate's pacing
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
        senders.close();
        Map<String, Long> arrived = callbacks.await(sentAt.keySet(), Duration.ofMinutes(3));
        return new Steady(sent.size(), refusals.values().stream().mapToInt(Integer::intValue).sum(),
                Map.copyOf(refusals), LatencySample.between(sentAt, arrived), LatencySample.between(sentAt, acceptedAt),
                Set.copyOf(sentAt.keySet()));
    }
}
