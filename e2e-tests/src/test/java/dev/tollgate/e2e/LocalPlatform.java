package dev.tollgate.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The platform as {@code deploy/local/up} starts it: separate processes on free ports, with its data and run
 * folders in a temporary directory so a test never touches a developer's running stack.
 */
final class LocalPlatform {

    static final List<String> SERVICES = List.of("credits", "catalog", "workflow", "callback", "worker", "gateway");

    final Path root = Path.of(System.getProperty("tollgate.root", "..")).toAbsolutePath().normalize();
    final Path dataDir;
    final Path runDir;
    final Map<String, Integer> ports = new LinkedHashMap<>();

    LocalPlatform(Path workDir) {
        this.dataDir = workDir.resolve("data");
        this.runDir = workDir.resolve("run");
        List<String> names = new java.util.ArrayList<>(SERVICES);
        names.addAll(List.of("kafka", "kafka-controller", "mongo"));
        // All sockets stay open until every port is chosen: a port freed at once may be handed out again, and two
        // processes given the same port made start-up fail now and then.
        List<ServerSocket> held = new java.util.ArrayList<>();
        try {
            for (String name : names) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                ports.put(name, socket.getLocalPort());
            }
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

    record Result(int exitCode, String output) {
    }

    Result up() {
        return run(List.of("deploy/local/up", "--detach"), 300);
    }

    Result down() {
        return run(List.of("deploy/local/down"), 120);
    }

    String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    Path publicKey() {
        return dataDir.resolve("keys/public.pem");
    }

    Path privateKey() {
        return dataDir.resolve("keys/private.pem");
    }

    /** The pids the launcher recorded, by process name. */
    Map<String, Long> pids() throws IOException {
        Map<String, Long> pids = new LinkedHashMap<>();
        Path file = runDir.resolve("pids");
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

    Result run(List<String> command, long timeoutSeconds) {
        try {
            Path output = Files.createTempFile("tollgate-launcher", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            Map<String, String> env = builder.environment();
            env.put("TOLLGATE_DATA_DIR", dataDir.toString());
            env.put("TOLLGATE_RUN_DIR", runDir.toString());
            env.put("TOLLGATE_NO_BUILD", "1");
            env.put("TOLLGATE_GATEWAY_PORT", ports.get("gateway").toString());
            env.put("TOLLGATE_CREDITS_PORT", ports.get("credits").toString());
            env.put("TOLLGATE_CATALOG_PORT", ports.get("catalog").toString());
            env.put("TOLLGATE_WORKFLOW_PORT", ports.get("workflow").toString());
            env.put("TOLLGATE_CALLBACK_PORT", ports.get("callback").toString());
            env.put("TOLLGATE_WORKER_PORT", ports.get("worker").toString());
            env.put("TOLLGATE_KAFKA_PORT", ports.get("kafka").toString());
            env.put("TOLLGATE_KAFKA_CONTROLLER_PORT", ports.get("kafka-controller").toString());
            env.put("TOLLGATE_MONGO_PORT", ports.get("mongo").toString());
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
