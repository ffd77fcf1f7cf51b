package dev.tollgate.localstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.tollgate.localstack.launcher.LocalPlatform;
import dev.tollgate.localstack.testing.ServiceProcess;

/**
 * The peer the run-path benchmark measures Tollgate against: {@code bench/peers/bullmq} (redis-server, a Node API
 * process and BullMQ worker processes serving Tollgate's trigger request and callback shapes), started, grown and
 * stopped through its own scripts on free loopback ports, its folder under the benchmark's work folder.
 */
final class BullMqPeer {

    /** The peer's one bearer token (it has no users: the figure is the run path, not authentication). */
    static final String TOKEN = "peer-token";

    private final Path scripts;
    private final Path runDir;
    private final int redisPort;
    private final int apiPort;
    private volatile boolean started;

    BullMqPeer(Path root, Path runDir) {
        this.scripts = root.toAbsolutePath().normalize().resolve("bench/peers/bullmq");
        this.runDir = runDir.toAbsolutePath();
        int[] ports = ServiceProcess.freePorts(2);
        this.redisPort = ports[0];
        this.apiPort = ports[1];
    }

    /** The first start may install redis-server (apt-get) and the npm packages (npm ci): minutes, not seconds. */
    void start() {
        started = true;
        run(List.of(script("start"), "--dir", runDir.toString(), "--redis-port", Integer.toString(redisPort),
                "--api-port", Integer.toString(apiPort), "--token", TOKEN), 600);
    }

    void addWorker() {
        run(List.of(script("add-worker"), runDir.toString()), 120);
    }

    /** Stops whatever was started; safe to call twice and from a shutdown hook. */
    void stop() {
        if (started) {
            run(List.of(script("stop"), runDir.toString()), 120);
            started = false;
        }
    }

    String url() {
        return "http://127.0.0.1:" + apiPort;
    }

    /** Its processes by name ({@code redis}, {@code api}, {@code worker}, {@code worker-2}...), in start order. */
    Map<String, Long> pids() throws IOException {
        return LocalPlatform.readPids(runDir.resolve("pids"));
    }

    Path logs() {
        return runDir.resolve("logs");
    }

    private String script(String name) {
        return scripts.resolve(name).toString();
    }

    private static void run(List<String> command, long timeoutSeconds) {
        try {
            Path output = Files.createTempFile("tollgate-peer", ".log");
            LocalPlatform.Result result = LocalPlatform.run(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()), output, timeoutSeconds);
            if (result.exitCode() != 0) {
                throw new IllegalStateException(command + " exited " + result.exitCode() + ":\n" + result.output());
            }
            System.out.print(result.output().lines().map(l -> "[peer] " + l + "\n").reduce("", String::concat));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
