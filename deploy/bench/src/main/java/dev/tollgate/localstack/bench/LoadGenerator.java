package dev.tollgate.localstack.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The two shapes of load the harness offers. Open loop (a fixed request rate, whatever the answers take) shows
 * latency at a given rate without the coordinated omission of a closed loop; a closed loop (n clients, each sending
 * its next request when the last one is answered) finds the saturation rate. A call returns true when it succeeded.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    /** {@code rate} requests per second for {@code duration}, each on its own virtual thread. */
    public static LatencySample fixedRate(int rate, Duration duration, Callable<Boolean> call) throws InterruptedException {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong failures = new AtomicLong();
        long total = Math.max(1, Math.round(rate * duration.toMillis() / 1000.0));
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; i < total; i++) {
                long wait = start + i * intervalNanos - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait)); // pacing the open loop, not waiting for a condition
                }
                senders.submit(() -> timed(call, latencies, failures));
            }
        } // close() waits for every request to be answered
        return sample(latencies, total, failures.get(), System.nanoTime() - start);
    }

    /**
     * A warm-up: {@link #fixedRate} at a quarter, a half and three quarters of {@code rate} (each for a sixth of
     * {@code duration}, 30 s at most), then at {@code rate} for the rest of it; each step waits for its answers. JVMs
     * just started do a fraction of what they do warm: offered the full rate at once, a cold platform queued a minute
     * of triggers (answers after 30-120 s; once the gateway ran out of heap), and compiled its code under that backlog.
     */
    public static LatencySample ramped(int rate, Duration duration, Callable<Boolean> call)
            throws InterruptedException {
        Duration sixth = duration.dividedBy(6);
        Duration step = sixth.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : sixth;
        for (int quarter = 1; quarter <= 3; quarter++) {
            fixedRate(Math.max(1, rate * quarter / 4), step, call);
        }
        Duration rest = duration.minus(step.multipliedBy(3));
        return fixedRate(rate, rest.isNegative() || rest.isZero() ? Duration.ofSeconds(1) : rest, call);
    }

    /** {@code clients} threads sending back to back for {@code duration}. */
    public static LatencySample closedLoop(int clients, Duration duration, Callable<Boolean> call) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        return clients(clients, () -> System.nanoTime() < end, call);
    }

    /** {@code count} calls spread over {@code clients} threads, as fast as they go; returns when all are answered. */
    public static LatencySample burst(int clients, int count, Callable<Boolean> call) throws Exception {
        AtomicLong next = new AtomicLong();
        return clients(clients, () -> next.getAndIncrement() < count, call);
    }

    /** {@code clients} threads, each sending its next call when the last is answered, while {@code another} says so. */
    private static LatencySample clients(int clients, BooleanSupplier another, Callable<Boolean> call)
            throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong failures = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    while (another.getAsBoolean()) {
                        requests.incrementAndGet();
                        timed(call, latencies, failures);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        return sample(latencies, requests.get(), failures.get(), System.nanoTime() - start);
    }

    private static void timed(Callable<Boolean> call, List<Long> latencies, AtomicLong failures) {
        long t0 = System.nanoTime();
        boolean ok;
        try {
            ok = call.call();
        } catch (Exception e) {
            ok = false;
        }
        latencies.add(System.nanoTime() - t0);
        if (!ok) {
            failures.incrementAndGet();
        }
    }

    private static LatencySample sample(List<Long> latencies, long requests, long failures, long nanos) {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new LatencySample(sorted, requests, failures, nanos / 1e9);
    }
}
