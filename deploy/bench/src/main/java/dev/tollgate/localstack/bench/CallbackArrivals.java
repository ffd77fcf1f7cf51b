package dev.tollgate.localstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A callback receiver on 127.0.0.1 that notes when each run's final-status POST arrived (the first one; repeats are
 * counted, since a run is meant to be delivered once) and answers 204 at once.
 */
final class CallbackArrivals implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FirstSeen<Long> arrivedAt = new FirstSeen<>();
    private final Map<String, Stages> stages = new ConcurrentHashMap<>();
    private final AtomicLong repeats = new AtomicLong();
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final HttpServer server;

    CallbackArrivals() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/callbacks", exchange -> {
            long now = System.nanoTime();
            long wallNow = System.currentTimeMillis();
            JsonNode run = JSON.readTree(exchange.getRequestBody().readAllBytes()).at("/data/run");
            String runId = run.path("run_id").asText();
            if (arrivedAt.record(runId, now)) {
                stages.put(runId, Stages.of(run, wallNow));
            } else {
                repeats.incrementAndGet();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.setExecutor(threads);
        server.start();
    }

    /**
     * Where a run's time went, from its callback's body (the platform's clock) and the arrival (this machine's, the
     * same one on loopback): created to started (waiting for a worker), started to completed (running), completed to
     * the POST's arrival (relay and delivery). Milliseconds; -1 where the run has no such time.
     */
    record Stages(long queuedMillis, long runningMillis, long deliveryMillis) {
        static Stages of(JsonNode run, long arrivedEpochMillis) {
            long created = epochMillis(run.path("created_at"));
            long started = epochMillis(run.path("started_at"));
            long completed = epochMillis(run.path("completed_at"));
            return new Stages(created < 0 || started < 0 ? -1 : started - created,
                    started < 0 || completed < 0 ? -1 : completed - started,
                    completed < 0 ? -1 : arrivedEpochMillis - completed);
        }

        private static long epochMillis(JsonNode instant) {
            try {
                return instant.isTextual() ? Instant.parse(instant.asText()).toEpochMilli() : -1;
            } catch (java.time.format.DateTimeParseException e) {
                return -1; // a peer's own time format: no stages for it, and the receiver still answers 204
            }
        }
    }

    /** The stages of the runs whose callback arrived, of those asked for. */
    Map<String, Stages> stages(Collection<String> runIds) {
        Map<String, Stages> of = new HashMap<>();
        for (String id : runIds) {
            Stages s = stages.get(id);
            if (s != null) {
                of.put(id, s);
            }
        }
        return of;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/callbacks";
    }

    /** Waits until every run's callback arrived or {@code timeout} passed; returns the arrivals of those runs. */
    Map<String, Long> await(Collection<String> runIds, Duration timeout) throws InterruptedException {
        return arrivedAt.await(runIds, timeout);
    }

    long repeats() {
        return repeats.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
