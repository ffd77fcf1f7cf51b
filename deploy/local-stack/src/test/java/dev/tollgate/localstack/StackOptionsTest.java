package dev.tollgate.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class StackOptionsTest {

    @Test
    void defaultsAreTheDocumentedLocalPorts() {
        StackOptions o = StackOptions.parse();
        assertEquals("127.0.0.1:9092", o.kafkaBootstrap());
        assertEquals(9093, o.controllerPort());
        assertEquals("mongodb://127.0.0.1:27017", o.mongoConnectionString());
        assertFalse(o.persistent());
        assertEquals(StackOptions.PLATFORM_TOPICS, o.topics());
    }

    @Test
    void dataDirImpliesPersistenceAndKeysBesideTheData() {
        StackOptions o = StackOptions.parse("--data-dir", "/tmp/x", "--partitions", "8");
        assertTrue(o.persistent());
        assertEquals(Path.of("/tmp/x/keys"), o.keysDir());
        assertEquals(8, o.partitions());
    }

    @Test
    void badFlagsAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StackOptions.parse("--kafka-port", "70000"))
                .getMessage().contains("TCP port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StackOptions.parse("--partitions", "0"))
                .getMessage().contains("positive"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StackOptions.parse("--nope"))
                .getMessage().contains("unknown flag"));
    }
}
