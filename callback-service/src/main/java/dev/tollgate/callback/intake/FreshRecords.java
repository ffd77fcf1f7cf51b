package dev.tollgate.callback.intake;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.tollgate.platform.messaging.KafkaSends;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Tells which lifecycle records cannot be replays, so the intake posts their callbacks without first reading the
 * store for a delivery made already (that read was an eighth of this service's CPU on the run path). A record is such
 * a first copy when both hold:
 * <ul>
 * <li>it was appended after this consumer got its partition (its offset is at least the partition's end offset read
 * when the partition was assigned): every earlier record may have been handled, and its delivery stored, by a process
 * that died or lost the partition before committing; a later one was fetched by no other member of the group;</li>
 * <li>it does not carry {@link KafkaSends#REPUBLISHED_HEADER}: workflow-service's relay publishes a state change's
 * events once, unmarked, and marks everything its sweep publishes again (events a crash or a failed round left, some
 * of which reached Kafka before).</li>
 * </ul>
 * Any other record is checked against the store, as every record was before. A run's repeated event that is a first
 * copy by these rules (only a producer other than the relay could make one) is still caught when this process
 * handled the run's earlier event ({@link DeliveryIntake} remembers the runs it stored recently), and otherwise by
 * the insert, which never stores a second delivery: at worst the callback is posted again, with the same
 * {@code webhook-id}.
 */
@ApplicationScoped
@Identifier(FreshRecords.NAME)
public class FreshRecords implements KafkaConsumerRebalanceListener {

    /** The listener's name in {@code mp.messaging.incoming.run-lifecycle.consumer-rebalance-listener.name}. */
    public static final String NAME = "callback-deliveries-rebalance";

    private static final Logger LOG = Logger.getLogger(FreshRecords.class);

    /** Per partition this consumer holds, the first offset appended after it got the partition. */
    private final Map<TopicPartition, Long> firstFresh = new ConcurrentHashMap<>();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        try {
            assigned(consumer.endOffsets(partitions));
        } catch (RuntimeException e) {
            // Then every record of these partitions is checked against the store: slower, never wrong.
            partitions.forEach(firstFresh::remove);
            LOG.warnf("reading the end offsets of %s failed; their records are checked for replays: %s", partitions,
                    e.toString());
        }
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(firstFresh::remove);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(firstFresh::remove);
    }

    /** The partitions' end offsets when they were assigned to this consumer. */
    void assigned(Map<TopicPartition, Long> endOffsets) {
        firstFresh.putAll(endOffsets);
    }

    /** Whether the record is the first copy of its event this consumer group sees (see the class comment). */
    public boolean isFirstCopy(ConsumerRecord<?, ?> record) {
        Long from = firstFresh.get(new TopicPartition(record.topic(), record.partition()));
        return from != null && record.offset() >= from
                && !KafkaSends.isRepublished(record.headers());
    }
}
