package dev.tollgate.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessFiguresTest {

    @TempDir
    Path dir;

    @Test
    void memoryOfALiveProcessIsItsResidentSetAndPeak() {
        ProcessFigures.Memory mine = ProcessFigures.memory(ProcessHandle.current().pid()).orElseThrow();
        assertTrue(mine.rssMiB() > 1, mine.toString());
        assertTrue(mine.peakMiB() >= mine.rssMiB(), mine.toString());
    }

    @Test
    void aProcessThatIsGoneHasNoMemory() {
        assertEquals(Optional.empty(), ProcessFigures.memory(Long.MAX_VALUE));
    }

    @Test
    void startTimeIsQuarkusOwnStartedInLine() throws Exception {
        Path log = dir.resolve("credits.log");
        Files.writeString(log, """
                2026-11-23 18:11:50,642 INFO  [org.mongodb.driver.client] (main) MongoClient created
                2026-11-23 18:11:51,450 INFO  [io.quarkus] (main) credits-service 1.0.0-SNAPSHOT on JVM (powered by \
                Quarkus 3.32.2) started in 13.707s. Listening on: http://127.0.0.1:8081
                """);
        assertEquals(Optional.of(13.707), ProcessFigures.startSeconds(log));
        Files.writeString(log, "TOLLGATE-LOCAL-STACK-READY kafka=127.0.0.1:9092\n");
        assertEquals(Optional.empty(), ProcessFigures.startSeconds(log));
        assertEquals(Optional.empty(), ProcessFigures.startSeconds(dir.resolve("missing.log")));
    }
}
