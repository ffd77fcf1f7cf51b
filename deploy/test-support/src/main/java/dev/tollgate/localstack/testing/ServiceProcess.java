package dev.tollgate.localstack.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A packaged Tollgate service ({@code target/quarkus-app/quarkus-run.jar}) started as its own process against a
 * local stack: for tests that need a real neighbour service, or that SIGKILL the service under test.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Path jar;
    private final LocalStackProcess stack;
    private final Map<String, String> env = new HashMap<>();
    private final int port;
    private final int managementPort;
    private final File log;
    private Process process;

    public ServiceProcess(String name, Path jar, LocalStackProcess stack, Map<String, String> extraEnv) {
        this.name = name;
        this.jar = jar;
        this.stack = stack;
        this.env.putAll(extraEnv);
        int[] ports = freePorts(2);
        this.port = ports[0];
        // The gateway serves health and metrics on Quarkus's management interface, off its public port; the other
        // services ignore this.
        this.managementPort = ports[1];
        try {
            this.log = File.createTempFile(name, ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar of a sibling module, e.g. {@code credits-service}, seen from another module's folder. */
    public static Path siblingJar(String module) {
        Path jar = Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build " + module + " first (./mvnw -pl " + module
                    + " -am package -DskipTests)");
        }
        return jar;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Where {@code /q/health} and {@code /q/metrics} are: the management interface where the service has one (the
     * gateway), else its one port.
     */
    public String managementUrl() {
        return managementEnabled ? "http://127.0.0.1:" + managementPort : baseUrl();
    }

    public File log() {
        return log;
    }

    public ServiceProcess start() {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        Map<String, String> e = builder.environment();
        e.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        e.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        e.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        e.put("QUARKUS_MONGODB_CONNECTION_STRING", stack.mongoConnectionString());
        e.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrap());
        e.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", stack.publicKey().toString());
        e.put("SMALLRYE_JWT_SIGN_KEY_LOCATION", stack.privateKey().toString());
        e.putAll(env);
        try {
            process = builder.start();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        awaitReady();
        return this;
    }

    /** The operating-system process id (what a worker puts in its lease owner name: pid@host). */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    private volatile boolean managementEnabled;

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; log: " + log);
            }
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
                if (status == 404) { // listening, with its health on the management interface
                    managementEnabled = true;
                    int managed = http.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    if (managed == 200) {
                        return;
                    }
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200); // polling a child process's readiness endpoint
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " not ready within 60 s; log: " + log);
    }

    /** A loopback port free at this moment: for a process to listen on, or, left unused, one that refuses connections. */
    /**
     * {@code n} distinct free ports. All sockets stay open until every port is chosen: a port freed at once may be
     * handed out again (a broker given the same port for two listeners failed to start).
     */
    public static int[] freePorts(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(new ServerSocket(0));
            }
            return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a listening socket we own; nothing to recover
                }
            }
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
