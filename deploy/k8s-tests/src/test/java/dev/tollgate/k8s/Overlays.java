package dev.tollgate.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Renders the overlays under deploy/k8s exactly as {@code kubectl apply -k} would, offline: the tree is copied to
 * a temporary directory, {@code deploy/k8s/make-secrets} writes throwaway secret files there (as a user would
 * before applying), and {@code kubectl kustomize} renders it. Each overlay is rendered once per test run.
 */
final class Overlays {

    /** Every overlay in deploy/k8s/overlays; a new one must be added here to be tested. */
    static final List<String> ALL = List.of("dev", "production", "production-managed-data");

    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static Path workTree;

    private Overlays() {
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("tollgate.root", "../..")).toAbsolutePath().normalize();
    }

    static Manifests render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, Overlays::renderNow);
    }

    private static synchronized Path workTree() throws IOException {
        if (workTree == null) {
            Path source = repoRoot().resolve("deploy/k8s");
            Path target = Files.createTempDirectory("tollgate-k8s-");
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path relative = source.relativize(file);
                    // A developer's real secret files never leave their folder.
                    boolean inSecretsFolder = false;
                    for (Path part : relative) {
                        inSecretsFolder |= part.toString().equals("secrets");
                    }
                    if (inSecretsFolder) {
                        continue;
                    }
                    Path copy = target.resolve(relative.toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            workTree = target;
        }
        return workTree;
    }

    private static Manifests renderNow(String overlay) {
        try {
            Path overlayDir = workTree().resolve("overlays").resolve(overlay);
            run(List.of("bash", workTree().resolve("make-secrets").toString(), overlayDir.toString()), "make-secrets");
            String yaml = run(List.of(kubectl(), "kustomize", overlayDir.toString()), "kubectl kustomize");
            try (var parser = YAML.createParser(yaml)) {
                List<ObjectNode> objects = YAML.readValues(parser, JsonNode.class).readAll().stream()
                        .filter(JsonNode::isObject).map(ObjectNode.class::cast).toList();
                return new Manifests(overlay, objects);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kubectl from TOLLGATE_KUBECTL, else from PATH. */
    static String kubectl() {
        String configured = System.getenv("TOLLGATE_KUBECTL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("kubectl is needed to render deploy/k8s (it bundles Kustomize): it is not on "
                + "PATH and TOLLGATE_KUBECTL is not set. .ci/run installs it; see deploy/k8s/README.md.");
    }

    private static String run(List<String> command, String what) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        process.getOutputStream().close();
        var stdout = process.inputReader(StandardCharsets.UTF_8);
        var stderr = process.errorReader(StandardCharsets.UTF_8);
        // Read stderr on the side so that a chatty command cannot block on a full pipe.
        StringBuilder errors = new StringBuilder();
        Thread errorReader = Thread.ofPlatform().start(() -> stderr.lines().forEach(l -> errors.append(l).append('\n')));
        String output = stdout.lines().reduce(new StringBuilder(), (b, l) -> b.append(l).append('\n'), StringBuilder::append)
                .toString();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " did not finish within 120 s");
            }
            errorReader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(what + " failed (exit " + process.exitValue() + "): " + errors);
        }
        return output;
    }
}
