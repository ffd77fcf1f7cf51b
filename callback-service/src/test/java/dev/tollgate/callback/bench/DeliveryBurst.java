package dev.tollgate.callback.bench;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.callback.support.Receiver;
import dev.tollgate.callback.support.RunEvents;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One measured batch of deliveries: publishes lifecycle events whose callbacks go round-robin to the measured fast
 * receivers (every tenth to a {@link Share} instead, if there is one), waits until every measured callback has
 * arrived, and measures what the measured receivers saw. The clock runs from the first publish to the last arrival;
 * a run's latency is from just before its event was handed to the producer to its POST being read by the receiver.
 */
final class DeliveryBurst {

    static final String FAST_PATH = "/hooks/fast";
    static final String SHARE_PATH = "/hooks/share";
    private static final int USERS = 20;

    /**
     * Another receiver that gets every tenth event (so {@code toFast / 9} events more in all), not measured: one
     * that hangs (whose attempts in flight are sampled), or one as fast as the others (the control).
     */
    record Share(String url, SilentReceiver hanging) {

        static Share hanging(SilentReceiver receiver) {
            return new Share(receiver.url(SHARE_PATH), receiver);
        }

        static Share fast(Receiver receiver) {
            return new Share(receiver.url(SHARE_PATH), null);
        }
    }

    /**
     * @param delivered callbacks the measured receivers got (one per run)
     * @param duplicates POSTs beyond the first of a run (none expected: every answer was a 204)
     * @param latenciesNanos published to received, one per run, sorted
     * @param hangingSamples attempts in flight to the hanging share, sampled while the measured ones were delivered
     */
    record Measured(int delivered, int duplicates, double seconds, List<Long> latenciesNanos,
            List<Integer> hangingSamples) {

        double perSecond() {
            return delivered / seconds;
        }
    }

    private final RunEvents events;
    private final List<Receiver> measured;

    DeliveryBurst(RunEvents events, List<Receiver> measured) {
        this.events = events;
        this.measured = measured;
    }

    /**
     * @param toFast events whose callbacks go to the measured receivers
     * @param share where every tenth event goes instead, or null
     * @param perSecond 0 to publish as fast as the producer takes them, else an even pace
     */
    Measured run(int toFast, Share share, int perSecond, Duration limit) throws Exception {
        SilentReceiver hanging = share == null ? null : share.hanging();
        int total = share == null ? toFast : toFast + toFast / 9;
        Map<String, Instant> publishedAt = new ConcurrentHashMap<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        long pace = perSecond == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / perSecond;
        long startNanos = System.nanoTime();
        Instant start = Instant.now();
        for (int i = 0, next = 0; i < total; i++) {
            if (pace > 0) {
                long wait = startNanos + i * pace - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // pacing an open-loop load generator, not synchronisation
                }
            }
            boolean toShare = share != null && i % 10 == 9;
            String url = toShare ? share.url() : measured.get(next++ % measured.size()).url(FAST_PATH);
            ObjectNode run = RunEvents.endedRun(url, "completed");
            if (!toShare) {
                publishedAt.put("msg_" + run.get("run_id").asText(), Instant.now());
            }
            acks.add(events.publishAsync(run, "bench-user-" + i % USERS));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get(30, TimeUnit.SECONDS);
        }

        List<Integer> hangingSamples = new CopyOnWriteArrayList<>();
        List<Receiver.Received> got = await().atMost(limit).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (hanging != null) {
                hangingSamples.add(hanging.inFlight());
            }
            return received(publishedAt);
        }, r -> r.stream().map(x -> x.header("webhook-id")).distinct().count() == publishedAt.size());

        Map<String, Instant> firstArrival = new HashMap<>();
        got.forEach(r -> firstArrival.merge(r.header("webhook-id"), r.at(), (a, b) -> a.isBefore(b) ? a : b));
        Instant last = firstArrival.values().stream().max(Instant::compareTo).orElseThrow();
        List<Long> latencies = firstArrival.entrySet().stream()
                .map(e -> Duration.between(publishedAt.get(e.getKey()), e.getValue()).toNanos()).sorted().toList();
        return new Measured(firstArrival.size(), got.size() - firstArrival.size(),
                Duration.between(start, last).toNanos() / 1e9, latencies, hangingSamples);
    }

    /** What the measured receivers got for this batch's runs. */
    private List<Receiver.Received> received(Map<String, Instant> publishedAt) {
        return measured.stream().flatMap(r -> r.at(FAST_PATH).stream())
                .filter(r -> publishedAt.containsKey(r.header("webhook-id"))).toList();
    }
}
