package dev.tollgate.localstack.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The local stack started as a child JVM on free ports, for tests. It runs from {@code deploy/local-stack}'s build
 * output: its classes folder (or jar) plus the {@code lib/} folder the build copies next to it, so the broker's many
 * dependencies never meet a test's classpath (this module does not depend on the stack's). The build output is
 * found from the {@value #STACK_LOCATION_PROPERTY} system property (a classes folder or jar with {@code lib/} beside
 * it) or else in {@code deploy/local-stack/target} of the checkout this JVM runs in (its working folder or a parent).
 * The child watches its standard input and exits when this JVM goes away.
 */
public final class LocalStackProcess implements AutoCloseable {

    /** Where the local stack's build output is, when not in this checkout's {@code deploy/local-stack/target}. */
    public static final String STACK_LOCATION_PROPERTY = "tollgate.local-stack.location";

    // The stack's entry point and what it prints and writes (LocalStack, JwtKeyPair in deploy/local-stack), named
    // here rather than imported so that the stack's classes stay off test classpaths. LocalStackProcessTest (in
    // deploy/local-stack) starts the stack through this class, so a rename there fails that test.
    static final String MAIN_CLASS = "dev.tollgate.localstack.LocalStack";
    static final String READY_MARKER = "TOLLGATE-LOCAL-STACK-READY";
    static final String PRIVATE_KEY_FILE = "private.pem";
    static final String PUBLIC_KEY_FILE = "public.pem";

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
                    "-XX:TieredStopAtLevel=1", "-cp", classpath(), MAIN_CLASS,
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
        return keysDir.resolve(PUBLIC_KEY_FILE);
    }

    public Path privateKey() {
        return keysDir.resolve(PRIVATE_KEY_FILE);
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
            if (output.contains(READY_MARKER)) {
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
        Path self = stackLocation();
        // self is target/classes/ or target/tollgate-local-stack-*.jar; lib/ sits beside either in target/.
        Path lib = self.getParent().resolve("lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("no " + lib + ": build the local-stack module first "
                    + "(./mvnw -pl deploy/local-stack process-classes)");
        }
        return self + File.pathSeparator + lib + File.separator + "*";
    }

    /** The local stack's classes folder or jar: the system property's, else this checkout's build output. */
    static Path stackLocation() {
        String configured = System.getProperty(STACK_LOCATION_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path module = dir.resolve("deploy").resolve("local-stack");
            if (Files.exists(module.resolve("pom.xml"))) {
                return builtStack(module.resolve("target"));
            }
        }
        throw new IllegalStateException("no deploy/local-stack in " + start + " or a parent folder: set -D"
                + STACK_LOCATION_PROPERTY + "=<the local stack's classes folder or jar, with lib/ beside it>");
    }

    /** target/classes when compiled (what a reactor build up to any phase leaves), else the packaged jar. */
    private static Path builtStack(Path target) {
        Path classes = target.resolve("classes");
        if (Files.exists(classes.resolve(MAIN_CLASS.replace('.', '/') + ".class"))) {
            return classes;
        }
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                var jar = files.filter(f -> {
                    String name = f.getFileName().toString();
                    return name.startsWith("tollgate-local-stack-") && name.endsWith(".jar")
                            && !name.endsWith("-sources.jar");
                }).findFirst();
                if (jar.isPresent()) {
                    return jar.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("the local stack is not built (nothing in " + target + "): "
                + "./mvnw -pl deploy/local-stack process-classes");
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
