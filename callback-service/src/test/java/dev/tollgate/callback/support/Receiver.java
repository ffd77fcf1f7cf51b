package dev.tollgate.callback.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A callback receiver on 127.0.0.1: records every request it gets (path, headers, body, arrival) and answers what
 * the test says, per path. Requests are handled on virtual threads, so a hanging path does not block the others.
 */
public final class Receiver implements AutoCloseable {

    /** What one request got. */
    public record Received(String path, Map<String, List<String>> headers, String body, Instant at) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    /** The answer to a request: a status, headers, and how long to wait before answering. */
    public record Answer(int status, Map<String, String> headers, long delayMillis) {
        public static Answer status(int status) {
            return new Answer(status, Map.of(), 0);
        }

        public static Answer hang(long millis) {
            return new Answer(200, Map.of(), millis);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Integer, Answer>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();

    private Receiver(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public static Receiver start() {
        return new Receiver(0);
    }

    /** On a given port, e.g. one a callback was already pointed at while nothing listened there. */
    public static Receiver startOn(int port) {
        return new Receiver(port);
    }

    /** {@code answer} gets the request's number on that path (1 for the first). Default: 204. */
    public Receiver on(String path, Function<Integer, Answer> answer) {
        answers.put(path, answer);
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Every request so far, all paths. */
    public List<Received> all() {
        return List.copyOf(received);
    }

    /** How many requests carrying each {@code webhook-id} were answered with a 2xx. */
    public Map<String, Integer> successesByWebhookId() {
        Map<String, Integer> counted = new java.util.HashMap<>();
        successes.forEach((id, n) -> counted.put(id, n.get()));
        return counted;
    }

    public int maxConcurrent() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        boolean counted = true;
        try {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body, Instant.now()));
            int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Answer answer = answers.getOrDefault(path, i -> Answer.status(204)).apply(n);
            String webhookId = exchange.getRequestHeaders().getFirst("webhook-id");
            if (answer.status() >= 200 && answer.status() < 300 && webhookId != null) {
                successes.computeIfAbsent(webhookId, k -> new AtomicInteger()).incrementAndGet();
            }
            if (answer.delayMillis() > 0) {
                Thread.sleep(answer.delayMillis());
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            // Uncounted before answering: once the answer is out the caller may start its next attempt, which would
            // otherwise be counted while this thread has yet to reach its finally (an attempt too many, seen in CI).
            inFlight.decrementAndGet();
            counted = false;
            exchange.sendResponseHeaders(answer.status(), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException gone) {
            // the caller gave up (a timeout): nothing to answer
        } finally {
            if (counted) {
                inFlight.decrementAndGet();
            }
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
