package dev.tollgate.localstack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The harnesses' work folders (data, logs of a run's platforms), removed once a run succeeded. */
final class WorkFolders {

    private WorkFolders() {
    }

    /**
     * Copies {@code dir} and everything under it into a new temporary folder named {@code prefix...}, which outlives
     * the work folder's deletion; returns that folder.
     */
    static Path keepCopy(Path dir, String prefix) throws IOException {
        Path kept = Files.createTempDirectory(prefix);
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path to = kept.resolve(dir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return kept;
    }

    /** Deletes {@code dir} and everything under it, as far as it can. */
    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
