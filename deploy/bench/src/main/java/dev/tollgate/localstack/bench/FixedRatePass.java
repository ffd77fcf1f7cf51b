package dev.tollgate.localstack.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.localstack.launcher.LocalPlatform;

/**
 * One pass of the main job on a running platform: a warm-up, then triggers with request_id, metadata and a loopback
 * callback through the gateway at a fixed rate, each run's callback awaited. What it measured: the trigger's answer
 * time, trigger to callback (both from the trigger's send), and each process's CPU ms per run over the window.
 * Shared by {@link HistoryReads} and {@link SettingsComparison}.
 */
record FixedRatePass(LatencySample acks, LatencySample toCallback, Map<String, Double> cpuMillisPerRun) {

    /** What a caller reads around the measured window (the store's counters, say), besides what the pass measures. */
    interface Window {
        void opened() throws Exception;

        void closed(int runs) throws Exception;

        Window NONE = new Window() {
            @Override
            public void opened() {
            }

            @Override
            public void closed(int runs) {
            }
        };
    }

    static FixedRatePass run(LocalPlatform platform, Duration warmUp, int rate, Duration length, Window window)
            throws Exception {
        JsonNode stack = PlatformBenchmark.readStack(platform);
        PlatformClient client = new PlatformClient(stack.get("gateway_url").asText());
        String user = client.token(stack.get("api_key").asText());
        String workflow = stack.get("workflow_id").asText();
        try (CallbackArrivals callbacks = new CallbackArrivals()) {
            PlatformBenchmark.warmUpRuns(client, user, workflow, callbacks, rate, warmUp, Duration.ofMinutes(3));
            window.opened();
            Map<String, Double> cpuBefore = ProcessFigures.cpuMillis(platform.pids());
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            Map<String, Long> answeredAt = new ConcurrentHashMap<>();
            LoadGenerator.fixedRate(rate, length, () -> {
                long sent = System.nanoTime();
                Optional<String> run = client.trigger(user, workflow, PlatformBenchmark.triggerBody(callbacks));
                long answered = System.nanoTime();
                run.ifPresent(id -> {
                    sentAt.put(id, sent);
                    answeredAt.put(id, answered);
                });
                return run.isPresent();
            });
            Map<String, Long> arrived = callbacks.await(sentAt.keySet(), Duration.ofMinutes(2));
            Map<String, Double> cpuAfter = ProcessFigures.cpuMillis(platform.pids());
            LatencySample toCallback = LatencySample.between(sentAt, arrived);
            int runs = Math.max(1, toCallback.sortedNanos().size());
            window.closed(runs);
            Map<String, Double> perRun = new LinkedHashMap<>();
            cpuAfter.forEach((process, millis) -> perRun.put(process,
                    (millis - cpuBefore.getOrDefault(process, 0.0)) / runs));
            return new FixedRatePass(LatencySample.between(sentAt, answeredAt), toCallback, perRun);
        }
    }

    /** CPU ms per run, every process of the platform together. */
    double cpuMillisPerRunAll() {
        return cpuMillisPerRun.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
