package dev.tollgate.localstack.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.tollgate.localstack.JwtKeyPair;
import dev.tollgate.localstack.LocalStack;

/**
 * The local stack started as a child JVM on free ports, for tests. Its classpath is the local-stack jar (or classes
 * folder) plus the {@code lib/} folder the build copies next to it, so the broker's many dependencies never meet a
 * service's test classpath. The child watches its standard input and exits when this JVM goes away.
 */
public final class LocalStackProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int kafkaPort;
    private final int mongoPort;
    private final Path keysDir;
    private final Path log;

    private LocalStackProcess(Process process, int kafkaPort, int mongoPort, Path keysDir, Path log) {
        this.process = process;
        this.kafkaPort = kafkaPort;
        this.mongoPort = mongoPort;
        this.keysDir = keysDir;
        this.log = log;
    }

    /** Starts an in-memory stack (nothing survives it) with a fresh JWT key pair. */
    public static LocalStackProcess start(String... extraArgs) {
        try {
            Path workDir = Files.createTempDirectory("tollgate-test-stack");
            return start(workDir.resolve("keys"), extraArgs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static LocalStackProcess start(Path keysDir, String... extraArgs) {
        int[] ports = ServiceProcess.freePorts(3);
        int kafkaPort = ports[0];
        int controllerPort = ports[1];
        int mongoPort = ports[2];
        try {
            Path log = Files.createTempFile("tollgate-local-stack", ".log");
            List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx768m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-cp", classpath(), LocalStack.class.getName(),
                    "--kafka-port", String.valueOf(kafkaPort), "--controller-port", String.valueOf(controllerPort),
                    "--mongo-port", String.valueOf(mongoPort), "--keys-dir", keysDir.toString(),
                    "--exit-with-parent"));
            command.addAll(List.of(extraArgs));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            LocalStackProcess stack = new LocalStackProcess(process, kafkaPort, mongoPort, keysDir, log);
            stack.awaitReady();
            return stack;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String mongoConnectionString() {
        return "mongodb://127.0.0.1:" + mongoPort;
    }

    public Path publicKey() {
        return keysDir.resolve(JwtKeyPair.PUBLIC_KEY_FILE);
    }

    public Path privateKey() {
        return keysDir.resolve(JwtKeyPair.PRIVATE_KEY_FILE);
    }

    public Process process() {
        return process;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            String output = Files.readString(log);
            if (output.contains(LocalStack.READY_MARKER)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the local stack exited with " + process.exitValue() + ":\n" + output);
            }
            try {
                Thread.sleep(50); // polling a child's log file: there is no event to await
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("the local stack did not become ready within " + START_TIMEOUT + ":\n"
                + Files.readString(log));
    }

    private static String classpath() {
        try {
            Path self = Path.of(LocalStack.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // self is target/classes/ or target/tollgate-local-stack-*.jar; lib/ sits beside either in target/.
            Path lib = self.getParent().resolve("lib");
            if (!Files.isDirectory(lib)) {
                throw new IllegalStateException("no " + lib + ": build the local-stack module first "
                        + "(mvn -pl deploy/local-stack -am process-classes)");
            }
            return self + File.pathSeparator + lib + File.separator + "*";
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
