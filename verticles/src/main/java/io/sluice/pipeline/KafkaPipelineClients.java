package io.sluice.pipeline;

import io.sluice.consumer.EndOffsets;
import io.sluice.dispatch.LambdaClients;
import io.sluice.kafka.KafkaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;

/** The real clients of a pipeline: Kafka consumer, DLQ producer and admin (end offsets), the AWS SDK Lambda client. */
public final class KafkaPipelineClients implements PipelineClients {
    private final PipelineSettings settings;
    private final KafkaSettings kafka;

    public KafkaPipelineClients(PipelineSettings settings, KafkaSettings kafka) {
        this.settings = settings;
        this.kafka = kafka;
    }

    @Override
    public Consumer<byte[], byte[]> consumer() {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("group.id", settings.groupId());
        defaults.put("enable.auto.commit", "false");
        defaults.put("auto.offset.reset", "earliest");
        defaults.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        defaults.put("max.poll.records", "1000");
        // Partitions added to a subscribed topic are found on the next metadata refresh (Kafka's default is
        // 5 min); 10 s lets a running consumer group pick them up quickly (they start from earliest).
        defaults.put("metadata.max.age.ms", "10000");
        defaults.put(
                "client.id",
                "sluice-" + settings.name() + "-" + ProcessHandle.current().pid());
        return new KafkaConsumer<>(
                kafka.clientConfig(defaults, settings.consumerProperties()),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @Override
    public LambdaAsyncClient lambda() {
        return LambdaClients.create(settings.lambda());
    }

    @Override
    public Producer<byte[], byte[]> dlqProducer() {
        Map<String, Object> m = new HashMap<>();
        m.put("acks", "all");
        m.put("enable.idempotence", "true");
        m.put("linger.ms", "5");
        m.put(
                "client.id",
                "sluice-dlq-" + settings.name() + "-" + ProcessHandle.current().pid());
        return new KafkaProducer<>(
                kafka.clientConfig(m, Map.of()), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public EndOffsets endOffsets() {
        Map<String, Object> m = new HashMap<>();
        m.put(
                "client.id",
                "sluice-lag-" + settings.name() + "-" + ProcessHandle.current().pid());
        m.put("request.timeout.ms", "5000");
        m.put("default.api.timeout.ms", "5000");
        Admin admin = Admin.create(kafka.clientConfig(m, Map.of()));
        boolean readCommitted = "read_committed"
                .equals(settings.consumerProperties()
                        .getOrDefault("isolation.level", "read_uncommitted")
                        .toLowerCase(Locale.ROOT));
        return new AdminEndOffsets(
                admin, readCommitted ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED);
    }

    @Override
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** End offsets through the admin client's own network thread: asynchronous, nothing waits. */
    private record AdminEndOffsets(Admin admin, IsolationLevel isolation) implements EndOffsets {
        @Override
        public CompletionStage<Map<TopicPartition, Long>> latest(Set<TopicPartition> partitions) {
            Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
            partitions.forEach(tp -> spec.put(tp, OffsetSpec.latest()));
            CompletableFuture<Map<TopicPartition, Long>> out = new CompletableFuture<>();
            admin.listOffsets(spec, new ListOffsetsOptions(isolation).timeoutMs(5_000))
                    .all()
                    .whenComplete((r, err) -> {
                        if (err != null) {
                            out.completeExceptionally(err);
                            return;
                        }
                        Map<TopicPartition, Long> ends = new HashMap<>();
                        r.forEach((tp, info) -> ends.put(tp, info.offset()));
                        out.complete(ends);
                    });
            return out;
        }

        @Override
        public void close() {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
