package dev.tollgate.credits.load;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.tollgate.localstack.testing.LocalStackProcess;
import org.awaitility.Awaitility;

/** The packaged credits-service started as its own process against a local stack, so a test can SIGKILL it. */
public final class ServiceProcess implements AutoCloseable {

    private final Path jar;
    private final LocalStackProcess stack;
    private final Map<String, String> extraEnv;
    private final int port;
    private final File log;
    private Process process;

    public ServiceProcess(LocalStackProcess stack, Map<String, String> extraEnv) {
        this.jar = Path.of(System.getProperty("tollgate.service.jar", "target/quarkus-app/quarkus-run.jar"));
        this.stack = stack;
        this.extraEnv = extraEnv;
        this.port = freePort();
        try {
            this.log = File.createTempFile("credits-service", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public File log() {
        return log;
    }

    public void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_MONGODB_CONNECTION_STRING", stack.mongoConnectionString());
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrap());
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", stack.publicKey().toString());
        env.putAll(extraEnv);
        process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("credits-service exited; log: " + log);
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
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

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
