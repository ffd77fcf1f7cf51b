package dev.tollgate.credits.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent clients doing what catalog-service does to the ledger: hold, then capture or release, sometimes
 * repeating a call (as a retrying client would). Loopback only, bounded in operations and time. Records what each
 * client was told, so the outcome can be checked against the ledger afterwards.
 */
public final class LedgerLoad {

    public enum Outcome { HELD, CAPTURED, RELEASED, REFUSED, UNKNOWN }

    public record Result(Map<String, Outcome> holds, Map<String, String> holdOwner, List<Long> latenciesNanos,
            long operations, long errors, Duration elapsed) {
    }

    private final List<String> baseUrls;
    private final String serviceToken;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    public LedgerLoad(String baseUrl, String serviceToken) {
        this(List.of(baseUrl), serviceToken);
    }

    /** Several instances of the service: each request goes to one picked at random. */
    public LedgerLoad(List<String> baseUrls, String serviceToken) {
        for (String baseUrl : baseUrls) {
            if (!baseUrl.startsWith("http://127.0.0.1:") && !baseUrl.startsWith("http://localhost:")) {
                throw new IllegalArgumentException("load is only ever sent to this machine's loopback: " + baseUrl);
            }
        }
        this.baseUrls = List.copyOf(baseUrls);
        this.serviceToken = serviceToken;
    }

    /**
     * Runs {@code clients} threads, each doing {@code holdsPerClient} hold+settle cycles on random users from
     * {@code users}, stopping early after {@code maxDuration} or when {@code stop} is set.
     */
    public Result run(List<String> users, int clients, int holdsPerClient, long maxAmount, Duration maxDuration,
            AtomicBoolean stop) throws InterruptedException {
        Map<String, Outcome> holds = new ConcurrentHashMap<>();
        Map<String, String> owners = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong operations = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long deadline = System.nanoTime() + maxDuration.toNanos();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < holdsPerClient && System.nanoTime() < deadline && !stop.get(); i++) {
                    String user = users.get(random.nextInt(users.size()));
                    String holdId = "load-" + UUID.randomUUID();
                    owners.put(holdId, user);
                    holds.put(holdId, Outcome.UNKNOWN);
                    long amount = 1 + random.nextLong(maxAmount);
                    long t0 = System.nanoTime();
                    int placed = post(user, "", "{\"hold_id\":\"" + holdId + "\",\"amount_credits\":" + amount + "}",
                            operations, errors);
                    if (placed == 402) {
                        holds.put(holdId, Outcome.REFUSED);
                        continue;
                    }
                    if (placed != 200) {
                        continue; // unknown: the checker finds out what the ledger did
                    }
                    holds.put(holdId, Outcome.HELD);
                    boolean capture = random.nextInt(3) != 0;
                    String action = capture ? "/capture" : "/release";
                    int settled = post(user, "/" + holdId + action, "", operations, errors);
                    if (random.nextInt(5) == 0) {
                        settled = post(user, "/" + holdId + action, "", operations, errors); // a retrying client
                    }
                    if (settled == 200) {
                        holds.put(holdId, capture ? Outcome.CAPTURED : Outcome.RELEASED);
                        latencies.add(System.nanoTime() - t0);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        return new Result(holds, owners, List.copyOf(latencies), operations.get(), errors.get(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private int post(String user, String path, String body, AtomicLong operations, AtomicLong errors) {
        String baseUrl = baseUrls.get(ThreadLocalRandom.current().nextInt(baseUrls.size()));
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/internal/credits/accounts/" + user + "/holds" + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + serviceToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        operations.incrementAndGet();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 500) {
                errors.incrementAndGet();
            }
            return status;
        } catch (IOException e) {
            errors.incrementAndGet(); // e.g. the service was killed mid-request
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
