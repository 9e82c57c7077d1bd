package io.sluice.ops.partitions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;

/** The Kafka questions of the partition commands, through the Admin client (blocking, the command's thread). */
final class KafkaView implements AutoCloseable {
    private static final long TIMEOUT_S = 15;
    private final Admin admin;

    KafkaView(Map<String, Object> clientConfig) {
        this.admin = Admin.create(clientConfig);
    }

    int partitions(String topic) throws Exception {
        return admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(TIMEOUT_S, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .size();
    }

    /** A group's state, its members and how many partitions of {@code topic} it has assigned. */
    record Group(ConsumerGroupState state, int members, int assignedOfTopic) {}

    Group group(String groupId, String topic) throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(groupId))
                .all()
                .get(TIMEOUT_S, TimeUnit.SECONDS)
                .get(groupId);
        int assigned = d.members().stream()
                .mapToInt(m -> (int) m.assignment().topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(topic))
                        .count())
                .sum();
        return new Group(d.state(), d.members().size(), assigned);
    }

    /** Lag per partition of {@code topic}: end offset − committed offset (0 committed when none). */
    Map<Integer, Long> lag(String groupId, String topic) throws Exception {
        int n = partitions(topic);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < n; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        var ends = admin.listOffsets(latest).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata()
                .get(TIMEOUT_S, TimeUnit.SECONDS);
        Map<Integer, Long> out = new HashMap<>();
        ends.forEach((tp, end) -> {
            OffsetAndMetadata c = committed.get(tp);
            out.put(tp.partition(), Math.max(0, end.offset() - (c == null ? 0 : c.offset())));
        });
        return out;
    }

    void increase(String topic, int to) throws Exception {
        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(to)))
                .all()
                .get(TIMEOUT_S * 2, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
