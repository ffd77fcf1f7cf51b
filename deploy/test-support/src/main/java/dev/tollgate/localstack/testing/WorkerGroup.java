package dev.tollgate.localstack.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * The broker's view of the workflow workers' consumer group. A worker that has started has not necessarily joined
 * the group, and a killed one stays a member until its session times out: a test or benchmark that needs runs spread
 * over N workers waits until the group has exactly N members and has settled its partitions among them.
 */
public final class WorkerGroup {

    public static final String NAME = "workflow-workers";
    public static final String TOPIC = "workflow.run.requested";

    private WorkerGroup() {
    }

    /** A member of the group as the broker sees it: its member id, its static instance id (or null), its partitions. */
    public record Member(String memberId, String instanceId, Set<Integer> partitions) {
    }

    /** The group as the broker describes it at one moment: its state (stable, or rebalancing) and its members. */
    public record Snapshot(GroupState state, List<Member> members) {
    }

    /** The group's members now, with the partitions of the workers' topic each holds. */
    public static List<Member> members(String kafkaBootstrap) throws Exception {
        return snapshot(kafkaBootstrap).members();
    }

    /** The group's state and members now. */
    public static Snapshot snapshot(String kafkaBootstrap) throws Exception {
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", kafkaBootstrap))) {
            ConsumerGroupDescription group = kafka.describeConsumerGroups(List.of(NAME)).all().get().get(NAME);
            return new Snapshot(group.groupState(), group.members().stream().map(m -> new Member(m.consumerId(),
                    m.groupInstanceId().orElse(null), m.assignment().topicPartitions().stream()
                            .map(TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new)))).toList());
        }
    }

    /** How many partitions the workers' topic has. */
    public static int partitions(String kafkaBootstrap) throws Exception {
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", kafkaBootstrap))) {
            return kafka.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().size();
        }
    }

    /** Until the group has {@code n} members and is stable; at most 120 s (a dead member's session runs out first). */
    public static void awaitMembers(String kafkaBootstrap, int n) throws Exception {
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", kafkaBootstrap))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerGroupDescription group = kafka.describeConsumerGroups(List.of(NAME)).all().get().get(NAME);
                if (group.members().size() == n && group.groupState() == GroupState.STABLE) {
                    return;
                }
                Thread.sleep(200); // polling the broker's view of the group
            }
            throw new IllegalStateException("the workers' consumer group did not reach " + n + " members");
        }
    }
}
