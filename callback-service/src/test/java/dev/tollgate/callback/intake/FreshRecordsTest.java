package dev.tollgate.callback.intake;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import dev.tollgate.platform.messaging.KafkaSends;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Which lifecycle records may be replays: the partition's end offset at assignment, and the republished mark. */
class FreshRecordsTest {

    static final String TOPIC = "workflow.run.lifecycle";

    @Test
    void onlyAnUnmarkedRecordAppendedAfterItsPartitionWasAssignedIsAFirstCopy() {
        FreshRecords fresh = new FreshRecords();
        fresh.assigned(Map.of(new TopicPartition(TOPIC, 0), 10L));

        assertFalse(fresh.isFirstCopy(record(0, 9)), "before the assignment: maybe handled by a dead owner");
        assertTrue(fresh.isFirstCopy(record(0, 10)));
        assertTrue(fresh.isFirstCopy(record(0, 11)));
        ConsumerRecord<String, String> marked = record(0, 12);
        KafkaSends.markRepublished(marked.headers());
        assertFalse(fresh.isFirstCopy(marked), "published again by a sweep");
        assertFalse(fresh.isFirstCopy(record(1, 50)), "a partition whose end offset is unknown");
    }

    @Test
    void aRevokedOrLostPartitionsRecordsAreReadForUntilItIsAssignedAgain() {
        FreshRecords fresh = new FreshRecords();
        TopicPartition zero = new TopicPartition(TOPIC, 0);
        TopicPartition one = new TopicPartition(TOPIC, 1);
        fresh.assigned(Map.of(zero, 10L, one, 5L));

        fresh.onPartitionsRevoked(null, List.of(zero));
        fresh.onPartitionsLost(null, List.of(one));
        assertFalse(fresh.isFirstCopy(record(0, 20)));
        assertFalse(fresh.isFirstCopy(record(1, 20)));

        fresh.assigned(Map.of(zero, 30L));
        assertFalse(fresh.isFirstCopy(record(0, 20)), "replayed from the committed offset after the new assignment");
        assertTrue(fresh.isFirstCopy(record(0, 30)));
    }

    private static ConsumerRecord<String, String> record(int partition, long offset) {
        return new ConsumerRecord<>(TOPIC, partition, offset, "run", "{}");
    }
}
