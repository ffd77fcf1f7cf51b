package dev.tollgate.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    private final EmbeddedKafka kafka = new EmbeddedKafka(StackOptions.parse(), Path.of("/tmp/unused"));

    @Test
    void systemPropertiesUnderThePrefixSetOrOverrideBrokerSettings() {
        Properties system = new Properties();
        system.setProperty("tollgate.kafka.num.io.threads", "2");
        system.setProperty("tollgate.kafka.metadata.max.idle.interval.ms", "5000");
        system.setProperty("tollgate.store.cache-mb", "64");
        system.setProperty("tollgate.kafka.", "ignored: no setting named");

        Properties broker = kafka.brokerProperties(system);

        assertEquals("2", broker.getProperty("num.io.threads"), "a setting the stack leaves at Kafka's default");
        assertEquals("5000", broker.getProperty("metadata.max.idle.interval.ms"), "a setting the stack sets itself");
        assertFalse(broker.containsKey("store.cache-mb"), "other tollgate properties are not broker settings");
        assertFalse(broker.containsKey(""));
        assertEquals("broker,controller", broker.getProperty("process.roles"), "the rest as before");
    }

    @Test
    void withoutOverridesTheStacksOwnSettingsStand() {
        Properties broker = kafka.brokerProperties(new Properties());

        assertEquals("10000", broker.getProperty("metadata.max.idle.interval.ms"));
        assertFalse(broker.containsKey("num.io.threads"));
    }
}
