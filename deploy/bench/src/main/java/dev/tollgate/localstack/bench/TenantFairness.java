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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Issue 19's fairness figures: tenant B triggering at a steady rate alone, then while tenant A floods the platform
 * with runs as fast as it can (each refused trigger retried after its Retry-After, as a client should), B's trigger
 * to callback latency from the accepted trigger, and A's runs per second flooding alone and beside B. Every trigger
 * carries a request id, metadata and a callback; nothing is cleaned between the phases.
 */
final class TenantFairness {

    private TenantFairness() {
    }

    /** A flood's outcome: runs accepted, completed, and completed per second from its first trigger to its last end. */
    record Flood(int accepted, int completed, double runsPerSecond) {
    }

    static PlatformFigures.Fairness measure(PlatformClient client, String tenantA, String tenantB, String workflow,
            CallbackArrivals callbacks, RunCompletions completions, int floodRuns, int floodClients, int rate,
            Duration alonePhase) throws Exception {
        LatencySample alone = PlatformBenchmark.callbackLatency(client, tenantB, workflow, callbacks, rate, alonePhase,
                Duration.ofSeconds(120)).fromAccepted();
        Flood floodAlone = flood(client, tenantA, workflow, callbacks, completions, floodRuns, floodClients);

        AtomicBoolean flooding = new AtomicBoolean(true);
        CompletableFuture<Flood> besideB = CompletableFuture.supplyAsync(() -> {
            try {
                return flood(client, tenantA, workflow, callbacks, completions, floodRuns, floodClients);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                flooding.set(false);
            }
        });
        LatencySample during = steadyWhile(client, tenantB, workflow, callbacks, rate, flooding);
        Flood floodBesideB = besideB.get();
        return new PlatformFigures.Fairness(floodRuns, rate, alone, during, floodAlone.runsPerSecond(),
                floodBesideB.runsPerSecond(), floodBesideB.completed());
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

    /** Triggers at {@code rate} while {@code going} holds; the latency from each accepted trigger to its callback. */
    private static LatencySample steadyWhile(PlatformClient client, String tenant, String workflow,
            CallbackArrivals callbacks, int rate, AtomicBoolean going) throws Exception {
        Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> sent = Collections.synchronizedList(new ArrayList<>());
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        while (going.get()) {
            sent.add(CompletableFuture.runAsync(() -> client.trigger(tenant, workflow,
                    PlatformBenchmark.triggerBody(callbacks)).ifPresent(id -> acceptedAt.put(id, System.nanoTime()))));
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // the offered rate's pacing
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
        Map<String, Long> arrived = callbacks.await(acceptedAt.keySet(), Duration.ofMinutes(3));
        return LatencySample.between(acceptedAt, arrived);
    }
}
