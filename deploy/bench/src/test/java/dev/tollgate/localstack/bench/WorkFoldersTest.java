package dev.tollgate.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A drill that saw a process stop keeps the platform's logs: a copy that outlives its work folder. */
class WorkFoldersTest {

    @Test
    void aKeptCopyOutlivesTheWorkFolder(@TempDir Path parent) throws Exception {
        Path work = Files.createDirectories(parent.resolve("work"));
        Path logs = Files.createDirectories(work.resolve("run/logs/nested"));
        Files.writeString(logs.resolveSibling("worker.log"), "the run request listener stopped; exiting");
        Files.writeString(logs.resolve("deeper.log"), "deeper");

        Path kept = WorkFolders.keepCopy(work.resolve("run/logs"), "tollgate-test-logs-");
        WorkFolders.deleteRecursively(work);

        try {
            assertFalse(Files.exists(work));
            assertEquals("the run request listener stopped; exiting", Files.readString(kept.resolve("worker.log")));
            assertEquals("deeper", Files.readString(kept.resolve("nested/deeper.log")));
        } finally {
            WorkFolders.deleteRecursively(kept);
        }
    }
}
