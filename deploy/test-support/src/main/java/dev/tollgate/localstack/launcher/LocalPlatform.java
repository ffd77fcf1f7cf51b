package dev.tollgate.localstack.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.tollgate.localstack.testing.ServiceProcess;

/**
 * The platform as {@code deploy/local/up} starts it: separate processes on free ports, with its data and run
 * folders under one directory so that a test or a benchmark never touches a developer's running stack. Drives the
 * launcher scripts themselves ({@code up}, {@code add-worker}, {@code down}), so what is exercised is what a
 * developer runs.
 */
public final class LocalPlatform {

    public static final List<String> SERVICES = List.of("credits", "catalog", "workflow", "callback", "worker", "gateway");

    public final Path root;
    public final Path dataDir;
    public final Path runDir;
    public final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, String> extraEnvironment;

    /** The repository root comes from the {@code tollgate.root} system property (default: the parent folder). */
    public LocalPlatform(Path workDir) {
        this(Path.of(System.getProperty("tollgate.root", "..")), workDir, Map.of());
    }

    /** {@code extraEnvironment} reaches every process the launcher starts (e.g. lifted gateway rate limits). */
    public LocalPlatform(Path root, Path workDir, Map<String, String> extraEnvironment) {
        this.root = root.toAbsolutePath().normalize();
        this.dataDir = workDir.resolve("data");
        this.runDir = workDir.resolve("run");
        this.extraEnvironment = Map.copyOf(extraEnvironment);
        List<String> names = new ArrayList<>(SERVICES);
        names.addAll(List.of("kafka", "kafka-controller", "mongo", "gateway-management"));
        int[] free = ServiceProcess.freePorts(names.size());
        for (int i = 0; i < names.size(); i++) {
            ports.put(names.get(i), free[i]);
        }
    }

    public record Result(int exitCode, String output) {
    }

    public Result up() {
        return run(List.of("deploy/local/up", "--detach"), 300);
    }

    /** One more worker process ({@code deploy/local/add-worker}). */
    public Result addWorker() {
        return run(List.of("deploy/local/add-worker"), 200);
    }

    public Result down() {
        return run(List.of("deploy/local/down"), 120);
    }

    public String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    /**
     * Where a service's {@code /q/health} and {@code /q/metrics} are: the gateway's management interface (off its
     * public port), every other service's one port.
     */
    public String managementUrl(String service) {
        return service.equals("gateway") ? "http://127.0.0.1:" + ports.get("gateway-management") : url(service);
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + ports.get("kafka");
    }

    public Path publicKey() {
        return dataDir.resolve("keys/public.pem");
    }

    public Path privateKey() {
        return dataDir.resolve("keys/private.pem");
    }

    public Path logs() {
        return runDir.resolve("logs");
    }

    /** The pids the launcher recorded, by process name, in start order. */
    public Map<String, Long> pids() throws IOException {
        return readPids(runDir.resolve("pids"));
    }

    /** A pids file as the launcher writes it ({@code name pid} a line), by name, in line order; empty if none. */
    public static Map<String, Long> readPids(Path file) throws IOException {
        Map<String, Long> pids = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2) {
                    pids.put(parts[0], Long.parseLong(parts[1]));
                }
            }
        }
        return pids;
    }

    public Result run(List<String> command, long timeoutSeconds) {
        try {
            Path output = Files.createTempFile("tollgate-launcher", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            Map<String, String> env = builder.environment();
            env.putAll(extraEnvironment);
            env.put("TOLLGATE_DATA_DIR", dataDir.toString());
            env.put("TOLLGATE_RUN_DIR", runDir.toString());
            env.put("TOLLGATE_NO_BUILD", "1");
            env.put("TOLLGATE_GATEWAY_PORT", ports.get("gateway").toString());
            env.put("TOLLGATE_GATEWAY_MANAGEMENT_PORT", ports.get("gateway-management").toString());
            env.put("TOLLGATE_CREDITS_PORT", ports.get("credits").toString());
            env.put("TOLLGATE_CATALOG_PORT", ports.get("catalog").toString());
            env.put("TOLLGATE_WORKFLOW_PORT", ports.get("workflow").toString());
            env.put("TOLLGATE_CALLBACK_PORT", ports.get("callback").toString());
            env.put("TOLLGATE_WORKER_PORT", ports.get("worker").toString());
            env.put("TOLLGATE_KAFKA_PORT", ports.get("kafka").toString());
            env.put("TOLLGATE_KAFKA_CONTROLLER_PORT", ports.get("kafka-controller").toString());
            env.put("TOLLGATE_MONGO_PORT", ports.get("mongo").toString());
            return run(builder, output, timeoutSeconds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code builder} (its output redirected to {@code output}, which is deleted afterwards), killing it after
     * {@code timeoutSeconds}: the exit code and what it printed.
     */
    public static Result run(ProcessBuilder builder, Path output, long timeoutSeconds) {
        try {
            Process process = builder.start();
            try {
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(builder.command() + " did not finish within " + timeoutSeconds
                            + " s:\n" + Files.readString(output, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
