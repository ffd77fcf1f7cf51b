package dev.tollgate.localstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A callback receiver on 127.0.0.1 that notes when each run's final-status POST arrived (the first one; repeats are
 * counted, since a run is meant to be delivered once) and answers 204 at once.
 */
final class CallbackArrivals implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FirstSeen<Long> arrivedAt = new FirstSeen<>();
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
            String runId = JSON.readTree(exchange.getRequestBody().readAllBytes()).at("/data/run/run_id").asText();
            if (!arrivedAt.record(runId, now)) {
                repeats.incrementAndGet();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.setExecutor(threads);
        server.start();
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
